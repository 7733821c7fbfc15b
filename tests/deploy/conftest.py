from tests.serving_support import *  # noqa: F401,F403 - gunicorn with the shipped configuration
from tests.uploads_support import *  # noqa: F401,F403 - upload and worker helpers
