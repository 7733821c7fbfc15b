"""A keyring backend keeping secrets in a JSON file (GALLERY_TEST_KEYRING_FILE): the uploader's keyring
path exercised through the real `keyring` library on a machine without a desktop secret service."""
import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1

    def _load(self) -> tuple[Path, dict]:
        path = Path(os.environ["GALLERY_TEST_KEYRING_FILE"])
        return path, json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service, username):
        return self._load()[1].get(f"{service}\n{username}")

    def set_password(self, service, username, password):
        path, data = self._load()
        data[f"{service}\n{username}"] = password
        path.write_text(json.dumps(data))

    def delete_password(self, service, username):
        path, data = self._load()
        data.pop(f"{service}\n{username}", None)
        path.write_text(json.dumps(data))
