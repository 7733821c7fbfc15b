from tests.studio_support import *  # noqa: F401,F403 - photo rows and visitors for the studio's API
