from flask_smorest import Blueprint

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.clients import schemas, services
from gallery.extensions import db

blp = Blueprint("clients", __name__, url_prefix="/api/v1/clients", description="The photographer's clients")


@blp.post("")
@photographer_required
@blp.arguments(schemas.ClientSchema)
@blp.response(201, schemas.ClientSchema)
def create_client(payload):
    """Add a client."""
    client = services.create_client(current_photographer().id, payload)
    db.session.flush()
    return client


@blp.get("/<client_id>")
@photographer_required
@blp.response(200, schemas.ClientSchema)
def get_client(client_id):
    """One client."""
    return services.get_client(current_photographer().id, client_id)


@blp.patch("/<client_id>")
@photographer_required
@blp.arguments(schemas.ClientSchema(partial=True))
@blp.response(200, schemas.ClientSchema)
def update_client(changes, client_id):
    """Change a client; `important_dates`, when given, replaces the list."""
    client = services.update_client(current_photographer().id, client_id, changes)
    db.session.flush()
    return client


@blp.delete("/<client_id>")
@photographer_required
@blp.response(204)
def delete_client(client_id):
    """Delete a client (their galleries stay, unlinked)."""
    services.delete_client(current_photographer().id, client_id)
