import pytest


@pytest.fixture(autouse=True)
def _no_mail_left_behind(clean_mail_dir):
    """One-time codes go to .eml files here; leave the shared mail folder as we found it."""
    yield

