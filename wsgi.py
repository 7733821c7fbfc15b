"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import sys

from gallery import ConfigError, create_app

try:
    app = create_app()
except ConfigError as error:
    # One clear line naming the variable, no traceback.
    sys.exit(f"configuration error: {error}")
