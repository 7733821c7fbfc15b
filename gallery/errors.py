"""RFC 9457 problem+json for every error the API returns.

Raise `Problem(status, detail, errors=...)` from services and routes; webargs
validation errors, werkzeug HTTP errors, rate limits and unexpected exceptions
all leave the app in the same shape.
"""
from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Response, json, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_MIME = "application/problem+json"

# Stable slugs for the kinds of problem a client may want to branch on.
PROBLEM_TYPES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    410: "gone",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "rate-limited",
    503: "service-unavailable",
}


class Problem(HTTPException):
    """An HTTP error with a human sentence, optional per-field errors and extra members."""

    def __init__(self, status: int, detail: str, *, errors: dict | None = None, type: str | None = None,
                 headers: dict | None = None, **extra):
        super().__init__(description=detail)
        self.code = status
        self.detail = detail
        self.errors = errors
        self.problem_type = type
        self.extra = extra
        self.extra_headers = headers or {}


def problem_response(status: int, detail: str | None = None, *, errors: dict | None = None,
                     type: str | None = None, headers: dict | None = None, **extra) -> Response:
    slug = type or PROBLEM_TYPES.get(status)
    body = {
        "type": f"/problems/{slug}" if slug else "about:blank",
        "title": HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error",
        "status": status,
        "detail": detail or "",
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten(messages, prefix="") -> dict[str, list[str]]:
    """webargs nests errors by location and field; clients want `field: [messages]`."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, (dict,)):
                flat.update(_flatten(value, name))
            else:
                flat.setdefault(name, []).extend(value if isinstance(value, list) else [str(value)])
    elif isinstance(messages, list):
        flat.setdefault(prefix or "_body", []).extend(str(m) for m in messages)
    return flat


def http_error_response(error: HTTPException) -> Response:
    if isinstance(error, Problem):
        return problem_response(error.code, error.detail, errors=error.errors, type=error.problem_type,
                                headers=error.extra_headers, **error.extra)
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    errors = None
    detail = error.description
    if messages:
        # Strip the location level (json, query, files...) webargs adds.
        if isinstance(messages, dict) and all(k in {"json", "query", "form", "files", "headers", "view_args", "cookies", "json_or_form", "querystring"} for k in messages):
            merged: dict = {}
            for location_messages in messages.values():
                if isinstance(location_messages, dict):
                    merged.update(location_messages)
                else:
                    merged.setdefault("_body", []).extend(location_messages)
            messages = merged
        errors = _flatten(messages)
        if error.code == 400 and "_body" in errors:
            detail = "; ".join(errors.pop("_body")) or detail
            errors = errors or None
        elif error.code == 422:
            detail = "Some fields are missing or invalid: " + ", ".join(sorted(errors)) + "."
    headers = {}
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if error.code == 429:
        detail = f"Too many requests ({error.description}). Wait a moment and try again."
    return problem_response(error.code or 500, detail, errors=errors, headers=headers)


RETRY_AFTER_SECONDS = 5


def dependency_down_response(error: Exception) -> Response:
    """The database or Redis is refusing, unreachable or too slow: 503 with Retry-After, never a 500.

    Nothing is half-done: the request's transaction is rolled back when its session is removed."""
    log.warning("dependency unavailable on %s %s: %s: %s", request.method, request.path, type(error).__name__,
                str(error).splitlines()[0][:200] if str(error) else "")
    _rollback()
    return problem_response(503, "A service we depend on is not answering just now. Try again in a few seconds.",
                            type="service-unavailable", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def database_refused_response(error: Exception) -> Response:
    """A write the database refused (a constraint, a value it cannot store) that no check before it caught."""
    from sqlalchemy.exc import IntegrityError

    log.warning("database refused a write on %s %s: %s", request.method, request.path,
                str(getattr(error, "orig", error)).splitlines()[0][:200])
    _rollback()
    if isinstance(error, IntegrityError):
        text = str(getattr(error, "orig", error)).lower()
        if "foreign key" in text:
            return problem_response(422, "The request refers to something that does not exist.")
        return problem_response(409, "The request conflicts with data that already exists.")
    return problem_response(400, "A value in the request cannot be stored.")


def _rollback() -> None:
    try:
        from gallery.extensions import db

        db.session.rollback()
    except Exception:  # noqa: BLE001, S110 - the connection may be the very thing that is down
        pass


def dependency_errors() -> tuple[type[Exception], ...]:
    """Exception classes meaning "a dependency is down or too slow" (PostgreSQL, SQLite busy, Redis)."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from sqlalchemy.exc import InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeoutError

    return (OperationalError, InterfaceError, PoolTimeoutError, RedisConnectionError, RedisTimeoutError)


def register_error_handlers(app) -> None:
    from sqlalchemy.exc import DataError, IntegrityError

    app.register_error_handler(HTTPException, http_error_response)
    for kind in dependency_errors():
        app.register_error_handler(kind, dependency_down_response)
    app.register_error_handler(IntegrityError, database_refused_response)
    app.register_error_handler(DataError, database_refused_response)

    @app.errorhandler(Exception)
    def unexpected(error):  # noqa: ANN001 - Flask passes anything
        if isinstance(error, HTTPException):
            return http_error_response(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response(500, "Something went wrong on our side; it has been logged.")
