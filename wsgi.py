"""WSGI entry point of the checkout: `gunicorn wsgi:app`, `flask --app wsgi ...` (see gallery/wsgi.py)."""
from gallery.wsgi import app

__all__ = ["app"]
