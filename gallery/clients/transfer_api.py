"""Clients in and out as CSV: export all, and import another tool's export with a dry run first.

The import takes the file itself as the request body (`text/csv`), with its options in the query. The dry run
(`/import/preview`) writes nothing and reports, row by row, what would be created or updated and what is
wrong; the import (`/import`) writes every row or, when any row is wrong, none (422 with the same report).
"""
from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.clients import csv_format, exports, imports
from gallery.core.request_guard import body_limit, read_body

blp = Blueprint("client_transfer", __name__, url_prefix="/api/v1/clients",
                description="Clients as CSV: export, and import from another tool with a preview")

_CSV_LIMIT = csv_format.MAX_BYTES + 64 * 1024  # the request body limit of both CSV routes, a little above the file limit
_CSV_BODY = {"required": True, "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
             "description": "The CSV file: UTF-8 with or without BOM, comma, semicolon or tab delimited."}


class ImportArgsSchema(Schema):
    date_order = fields.String(load_default="auto", validate=validate.OneOf(csv_format.DATE_ORDERS), metadata={
        "description": "Day-month order of dates such as 03/04/2025: dmy, mdy, or auto (what the file proves)."})
    consent_confirmed = fields.Boolean(load_default=False, metadata={
        "description": "The photographer confirms the file's consent column records marketing consent; "
                       "without it the column is ignored."})


class RowErrorSchema(Schema):
    row = fields.Integer(metadata={"description": "Line number in the file (the header is line 1)."})
    column = fields.String(allow_none=True)
    field = fields.String(allow_none=True)
    message = fields.String()


class ColumnSchema(Schema):
    header = fields.String()
    field = fields.String(allow_none=True, metadata={"description": "The client field it fills; null: ignored."})


class ConsentColumnSchema(Schema):
    column = fields.String(allow_none=True)
    applied = fields.Boolean()
    yes = fields.Integer()
    no = fields.Integer()


class SampleRowSchema(Schema):
    row = fields.Integer()
    action = fields.String(metadata={"description": "create | update"})
    name = fields.String()
    email = fields.String(allow_none=True)
    tags = fields.List(fields.String())
    marketing_consent = fields.Boolean(allow_none=True)


class ImportReportSchema(Schema):
    rows = fields.Integer()
    create = fields.Integer()
    update = fields.Integer()
    error_rows = fields.Integer()
    errors = fields.List(fields.Nested(RowErrorSchema), metadata={"description": "The first 500 row errors."})
    encoding = fields.String(metadata={"description": "utf-8, or utf-8-sig when the file starts with a BOM."})
    delimiter = fields.String()
    date_order = fields.String(allow_none=True)
    columns = fields.List(fields.Nested(ColumnSchema))
    consent = fields.Nested(ConsentColumnSchema)
    sample = fields.List(fields.Nested(SampleRowSchema), metadata={"description": "The first 50 good rows."})
    imported = fields.Boolean()


@blp.get("/export")
@photographer_required
@blp.response(200, description="text/csv: every client, one row each (formulas neutralised).")
def export_clients():
    """All clients as CSV; the headers are ones the import reads back."""
    return Response(exports.clients_csv(current_photographer().id), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="clients.csv"', "Cache-Control": "private, no-store"})


@blp.post("/import/preview")
@photographer_required
@blp.arguments(ImportArgsSchema, location="query")
@blp.doc(requestBody=_CSV_BODY)
@blp.response(200, ImportReportSchema)
@body_limit(_CSV_LIMIT)
def preview_import(args):
    """Dry run: what the file would create and update, and every row's errors. Nothing is written."""
    plan = imports.plan_import(current_photographer().id, read_body(), **args)
    return plan.report()


@blp.post("/import")
@photographer_required
@blp.arguments(ImportArgsSchema, location="query")
@blp.doc(requestBody=_CSV_BODY)
@blp.response(201, ImportReportSchema)
@body_limit(_CSV_LIMIT)
def run_import(args):
    """Import every row, or none: any row error answers 422 with the report and writes nothing."""
    me = current_photographer().id
    return imports.commit_import(me, imports.plan_import(me, read_body(), **args))
