"""WSGI entry point: `gunicorn gallery.wsgi:app` from anywhere (an installed wheel); the repository's
`wsgi.py` re-exports it for `flask --app wsgi` and `gunicorn wsgi:app` from the checkout."""
import gc
import sys

from sqlalchemy.orm import configure_mappers

from gallery import ConfigError, create_app

try:
    app = create_app()
except ConfigError as error:
    # One clear line naming the variable, no traceback.
    sys.exit(f"configuration error: {error}")

# Everything loaded so far lives as long as the process. Settle the ORM's mappers now rather than on the
# first request, then move those objects out of the garbage collector's sight: a full collection would
# otherwise walk them all (hundreds of thousands), a pause of 80 ms or more in the middle of a request.
configure_mappers()
gc.collect()
gc.freeze()
