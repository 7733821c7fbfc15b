"""A bounded schemathesis run over the OpenAPI document, authenticated by an API token: no 5xx, and every
response (errors included) matches what the document says, on both databases."""
from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("GALLERY_FUZZ_EXAMPLES", "8"))
# Credentials are tested on their own (tests/accounts); fuzzing them would revoke the token under test.
EXCLUDED = r"^/api/v1/auth/(tokens|sessions|logout)"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_fuzz_the_api_with_a_token(app, make_photographer, make_gallery, make_client, make_photo, make_share_link):
    photographer, api = make_photographer()
    client = make_client(photographer, name="Kari", email="kari@example.com")
    gallery = make_gallery(photographer, publish=True, client_id=client.id)
    make_photo(gallery)
    make_share_link(gallery)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app).exclude(path_regex=EXCLUDED)
    headers = {"Authorization": f"Bearer {api.token}", "Accept-Encoding": "identity"}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collect every operation's failures
            failures.append(f"{operation.label}: {str(error)[:1500]}")
    assert operations > 50
    assert not failures, "\n\n".join(failures)
