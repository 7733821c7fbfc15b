"""The flask-smorest Api: OpenAPI document at /api/v1/openapi.json, problem+json errors."""
from apispec.ext.marshmallow import MarshmallowPlugin
from flask_smorest import Api as _SmorestApi
from marshmallow import Schema, fields

from gallery.errors import PROBLEM_MIME, http_error_response


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class Api(_SmorestApi):
    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        return http_error_response(error)

    def _register_responses(self):
        # Every documented error (each status and the default) is what the app sends: application/problem+json.
        success_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_MIME
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = success_type


def schema_name(schema) -> str:
    """Component names that tell a PATCH body or a projection from the full schema."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type):
        if schema.partial:
            name += "Patch"
        if schema.only:
            name += "Only" + "".join(part.title().replace("_", "") for part in sorted(schema.only))
    return name


def nullable_unless_required(self, field, ret, **kwargs) -> dict:
    """The document says null wherever the API may send or take it: every optional field (a missing value
    dumps as null; a null sent for a field that cannot be empty counts as not sent, gallery.core.parsing)."""
    if field.allow_none or field.required or field.load_only:
        return {}  # allow_none: apispec's own field2nullable already said so
    if "$ref" in ret:
        return {"anyOf": [{"type": "object", "nullable": True}, {"$ref": ret.pop("$ref")}]}
    if "allOf" in ret:
        return {"anyOf": [*ret.pop("allOf"), {"type": "object", "nullable": True}]}
    return {"nullable": True}


_plugin = MarshmallowPlugin(schema_name_resolver=schema_name)
api = Api(spec_kwargs={"marshmallow_plugin": _plugin})


def install_spec_rules() -> None:
    """Called once the spec exists (after init_app)."""
    converter = _plugin.converter
    if nullable_unless_required not in [getattr(f, "__func__", f) for f in converter.attribute_functions]:
        converter.add_attribute_function(nullable_unless_required)
