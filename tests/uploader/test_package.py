"""The uploader installs on a laptop without the server: its own distribution, light dependencies,
no import of the server's code."""
import ast
from importlib import metadata
from pathlib import Path

import gallery_upload

SERVER_ONLY = {"pillow", "pillow-heif", "flask", "sqlalchemy", "boto3", "gallery", "rq", "redis", "psycopg"}


def test_the_uploader_depends_only_on_what_uploading_needs():
    requires = metadata.requires("gallery-upload") or []
    names = {r.split(";")[0].split("==")[0].split("[")[0].strip().lower() for r in requires}
    assert names == {"httpx", "rich", "click", "exifread", "keyring"}
    assert not names & SERVER_ONLY
    assert all("==" in r for r in requires), "pinned exactly"
    assert any("extra ==" in r for r in requires if r.startswith("keyring")), "the keyring is optional"
    assert metadata.entry_points(group="console_scripts", name="gallery-upload")


def test_no_module_of_the_uploader_imports_the_server():
    for path in Path(gallery_upload.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            modules = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for module in modules:
                assert module.split(".")[0] not in {"gallery", "workers", "flask", "PIL", "sqlalchemy"}, (path, module)
