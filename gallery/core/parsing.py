"""The one request-argument parser every route uses (flask-smorest's `@blp.arguments`).

On top of webargs' FlaskParser:

- a JSON body must say it is JSON: a non-empty body of another type (text/plain, a form, XML) answers 415,
  a route that takes a JSON body and gets none answers 400 (never "as if {}" was sent);
- JSON is parsed with orjson (strict: lone surrogates and invalid UTF-8 are errors) and then walked once,
  without recursion: nesting deeper than MAX_DEPTH, arrays longer than MAX_ARRAY, objects wider than
  MAX_KEYS or strings holding NUL are refused with 400 before any schema sees the data;
- list lengths declared by a schema (`validate.Length(max=...)` on a List field) are checked before the
  items are validated, so a 100,000-item list costs one comparison and one short error;
- what the schema loaded is checked for values no column or computation can hold: ids that are empty
  strings, datetimes that cannot be expressed in UTC, dates outside years 1800-2200, integers beyond 64 bits.
"""
from __future__ import annotations

import datetime as dt

import orjson
from flask_smorest import Blueprint
from flask_smorest.arguments import ArgumentsMixin
from marshmallow import Schema, ValidationError, fields, validate
from marshmallow.utils import missing
from webargs import core
from webargs.flaskparser import FlaskParser

from gallery.core.request_guard import forbidden_text, read_body
from gallery.errors import Problem

MAX_DEPTH = 16
MAX_ARRAY = 5000
MAX_KEYS = 200
DEFAULT_LIST_MAX = 1000
MIN_YEAR, MAX_YEAR = 1800, 2200
INT_LIMIT = 2 ** 63


def parse_json_body(raw: bytes):
    """Parse and walk a JSON body; a Problem(400) names what is wrong."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise Problem(400, f"The body is not valid JSON: {error}.") from None
    check_json_value(data)
    return data


def json_body_or_none():
    """The request's JSON body for a rate-limit key and the like: parsed under the same rules, None when it is
    not acceptable (the route's own parsing then answers the problem)."""
    from flask import request

    try:
        return parse_json_body(read_body()) if core.is_json(request.mimetype) else None
    except Problem:
        return None


def check_json_value(data) -> None:
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if forbidden_text(value):
                raise Problem(400, "A text value holds a NUL character or a lone surrogate.")
        elif isinstance(value, (list, dict)):
            if depth >= MAX_DEPTH:
                raise Problem(400, f"The JSON is nested deeper than {MAX_DEPTH} levels.")
            if isinstance(value, list):
                if len(value) > MAX_ARRAY:
                    raise Problem(400, f"A JSON array holds more than {MAX_ARRAY} items.")
                stack.extend((item, depth + 1) for item in value)
            else:
                if len(value) > MAX_KEYS:
                    raise Problem(400, f"A JSON object holds more than {MAX_KEYS} members.")
                for key, item in value.items():
                    if forbidden_text(key):
                        raise Problem(400, "A member name holds a NUL character or a lone surrogate.")
                    stack.append((item, depth + 1))
        elif isinstance(value, int) and not isinstance(value, bool) and not -INT_LIMIT <= value < INT_LIMIT:
            raise Problem(400, "A number is too large.")


def _list_maximum(field: fields.List) -> int:
    validators = field.validators if isinstance(field.validators, list) else [field.validators]
    for validator in validators:
        if isinstance(validator, validate.Length) and validator.max is not None:
            return validator.max
    return DEFAULT_LIST_MAX


def check_list_lengths(schema: Schema, data) -> None:
    """Raise a ValidationError for the first list longer than its field allows, before items are loaded."""
    if not isinstance(data, dict):
        return
    errors = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = field.data_key or name
        value = data.get(key)
        if isinstance(field, fields.List) and isinstance(value, list):
            maximum = _list_maximum(field)
            if len(value) > maximum:
                errors[key] = [f"At most {maximum} items (got {len(value)})."]
            elif isinstance(field.inner, fields.Nested):
                for item in value:
                    check_list_lengths(field.inner.schema, item)
        elif isinstance(field, fields.Nested) and isinstance(value, dict):
            check_list_lengths(field.schema, value)
        elif isinstance(field, fields.Nested) and isinstance(value, list) and field.many:
            if len(value) > DEFAULT_LIST_MAX:
                errors[key] = [f"At most {DEFAULT_LIST_MAX} items (got {len(value)})."]
            else:
                for item in value:
                    check_list_lengths(field.schema, item)
    if errors:
        raise ValidationError(errors)


def drop_nulls(schema: Schema, data):
    """null sent for an optional field that cannot be empty means "not given" (the document marks every
    optional field nullable, since responses carry null for a missing value)."""
    if not isinstance(data, dict):
        return data
    cleaned = dict(data)
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key not in cleaned:
            continue
        value = cleaned[key]
        if value is None and not field.allow_none and not field.required:
            del cleaned[key]
        elif isinstance(field, fields.Nested) and isinstance(value, dict) and not field.many:
            cleaned[key] = drop_nulls(field.schema, value)
        elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested) and isinstance(value, list):
            cleaned[key] = [drop_nulls(field.inner.schema, item) for item in value]
    return cleaned


def check_loaded(value, path: str = "") -> None:
    """Values a schema accepted that no column or date computation can hold."""
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and (key == "id" or key.endswith("_id")) and item == "":
                raise ValidationError({name: ["An empty string is not an id; send an id or null."]})
            check_loaded(item, name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            check_loaded(item, f"{path}.{index}" if path else str(index))
    elif isinstance(value, dt.datetime):
        try:
            in_utc = value.astimezone(dt.UTC) if value.tzinfo else value
        except (OverflowError, ValueError):
            in_utc = None
        if in_utc is None or not MIN_YEAR <= in_utc.year <= MAX_YEAR:
            raise ValidationError({path or "_body": [f"Dates must fall between the years {MIN_YEAR} and {MAX_YEAR}."]})
    elif isinstance(value, dt.date):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ValidationError({path or "_body": [f"Dates must fall between the years {MIN_YEAR} and {MAX_YEAR}."]})
    elif isinstance(value, int) and not isinstance(value, bool) and not -INT_LIMIT <= value < INT_LIMIT:
        raise ValidationError({path or "_body": ["The number is too large."]})
    elif isinstance(value, str) and forbidden_text(value):
        raise ValidationError({path or "_body": ["Contains a NUL character or a lone surrogate."]})


class StrictParser(FlaskParser):
    def load_json(self, req, schema):
        body = read_body()
        if not body.strip():
            raise Problem(400, "This request needs a JSON body (send {} when every field is optional).")
        if not core.is_json(req.mimetype):
            raise Problem(415, "Send the body as JSON (Content-Type: application/json).",
                          headers={"Accept-Post": "application/json"})
        return parse_json_body(body)

    def load_json_or_form(self, req, schema):
        if core.is_json(req.mimetype):
            return self.load_json(req, schema)
        return self.load_form(req, schema)

    def pre_load(self, location_data, *, schema, req, location):
        if location_data is not missing:
            check_list_lengths(schema, location_data)
            location_data = drop_nulls(schema, location_data)
        return location_data

    def _process_location_data(self, location_data, schema, req, location, unknown, validators):
        data = super()._process_location_data(location_data, schema, req, location, unknown, validators)
        check_loaded(data)
        return data


parser = StrictParser()


def install() -> None:
    """Make every `@blp.arguments` use the strict parser (flask-smorest reads the class attribute)."""
    ArgumentsMixin.ARGUMENTS_PARSER = parser
    Blueprint.ARGUMENTS_PARSER = parser
