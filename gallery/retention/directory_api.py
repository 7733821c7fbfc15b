"""GET /api/v1/clients: the photographer's clients with search, filters and per-client summaries."""
from __future__ import annotations

from flask_smorest import Blueprint

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.retention import directory

blp = Blueprint("client_directory", __name__, url_prefix="/api/v1/clients",
                description="The photographer's clients, searched and filtered")


@blp.get("")
@photographer_required
@blp.arguments(directory.DirectoryQuerySchema, location="query")
@blp.response(200, directory.DirectoryPageSchema)
def list_clients(args):
    """Clients, oldest first; search `q` (name, email, phone) and filter by tag, event type, last shoot,
    lifetime spend, marketing consent and language. Each with last shoot, spend and gallery count."""
    return directory.list_clients(current_photographer().id, args)


@blp.get("/<client_id>/summary")
@photographer_required
@blp.response(200, directory.ClientSummarySchema)
def client_summary(client_id):
    """One client's lifetime value by currency, last shoot, number of galleries and survey answers."""
    return directory.summary(current_photographer().id, client_id)
