"""A client's data rights through the API: export (a zip of JSON and CSV) and erase (with a report).
Owner-scoped: a photographer reaches only their own clients (404 for anyone else's)."""
from __future__ import annotations

from flask import send_file
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.privacy import services

blp = Blueprint("client_data", __name__, url_prefix="/api/v1/clients",
                description="A client's data: export everything held about them, or erase them")


class EraseSchema(Schema):
    confirm = fields.Boolean(required=True, validate=validate.Equal(True, error="Send confirm: true to erase."),
                             metadata={"description": "Must be true: erasing cannot be undone."})


class KeptSchema(Schema):
    what = fields.String()
    count = fields.Integer()
    why = fields.String()


class EraseReportSchema(Schema):
    client_id = fields.String()
    erased_at = fields.String()
    removed = fields.Dict(keys=fields.String(), values=fields.Integer(),
                          metadata={"description": "Rows removed, by kind."})
    kept = fields.List(fields.Nested(KeptSchema), metadata={"description": "What was kept, and why."})


@blp.get("/<client_id>/export")
@photographer_required
@blp.response(200, description="application/zip: client.json, each section as JSON and CSV, README.txt.")
def export_client(client_id):
    """Everything held about one client (GDPR access and portability), as a zip of JSON and CSV."""
    name, archive = services.export_archive(current_photographer().id, client_id)
    response = send_file(archive, mimetype="application/zip", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.post("/<client_id>/erase")
@photographer_required
@blp.arguments(EraseSchema)
@blp.response(200, EraseReportSchema)
def erase_client(payload, client_id):
    """Erase a client (GDPR erasure): what was removed, and what was kept and why (orders, anonymised)."""
    report = services.erase_client(current_photographer().id, client_id)
    return report
