"""The flask-smorest Api: OpenAPI document at /api/v1/openapi.json, problem+json errors."""
from apispec.ext.marshmallow import MarshmallowPlugin
from flask_smorest import Api as _SmorestApi
from marshmallow import Schema, fields

from gallery.errors import http_error_response


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


api = Api(spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
