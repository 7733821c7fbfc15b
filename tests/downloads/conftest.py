from tests.uploads_support import *  # noqa: F401,F403 - S3, RQ and upload helpers
