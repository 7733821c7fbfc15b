from tests.uploads_support import *  # noqa: F401,F403 - S3, RQ and upload fixtures
from tests.studio_support import *  # noqa: F401,F403,E402 - photo rows and visitors for the studio's API
