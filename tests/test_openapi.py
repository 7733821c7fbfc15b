"""The OpenAPI document is valid and lists every route the app serves."""
import re

from openapi_spec_validator import validate

# Served by Flask itself, not part of the API.
NOT_DOCUMENTED = {"/static/<path:filename>", "/api/v1/openapi.json"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_openapi_document_is_valid(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert document["openapi"].startswith("3.")


def test_every_route_is_documented_with_its_methods(app, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    served = {}
    for rule in app.url_map.iter_rules():
        if rule.rule in NOT_DOCUMENTED:
            continue
        served.setdefault(_openapi_path(rule.rule), set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    documented = {path: set(ops) - {"parameters"} for path, ops in paths.items()}
    assert served == documented


def test_every_operation_documents_its_responses(client):
    document = client.get("/api/v1/openapi.json").json
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary") or operation.get("description"), f"{method} {path} has no summary"
            successes = [s for s in operation["responses"] if s.startswith("2")]
            assert successes, f"{method} {path} documents no success response"
