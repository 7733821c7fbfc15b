from tests.serving_support import *  # noqa: F401,F403 - http_get and gunicorn helpers
