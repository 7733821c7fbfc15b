"""Fixtures for the studio's API and browser tests: photo rows in bulk (no image work), a visitor's
favourites, selection and comment made through the share API.

A pytest plugin registered in the root conftest: its fixtures serve every test.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from gallery.core import clock
from gallery.core.ids import new_id
from gallery.extensions import db


@pytest.fixture
def make_photo_rows(app):
    """make_photo_rows(gallery, n, set_id=None, status="ready", names=None) -> [Photo]: rows only, no files."""
    from gallery.galleries.models import Photo

    def make(gallery, n, *, set_id=None, status="ready", names=None, start=0):
        photos = []
        for index in range(n):
            name = names[index] if names else f"IMG_{start + index + 1:04d}.jpg"
            photo = Photo(id=new_id(), gallery_id=gallery.id, set_id=set_id, original_filename=name,
                          storage_key=f"originals/{gallery.id}/{new_id()}", sha256=hashlib.sha256(
                              f"{gallery.id}/{start + index}/{name}".encode()).hexdigest(),
                          bytes=1000 + index, status=status, position=start + index, width=6000, height=4000,
                          taken_at=clock.now() - timedelta(minutes=n - index), placeholder_color="#808080")
            db.session.add(photo)
            photos.append(photo)
        db.session.commit()
        return photos

    return make


@pytest.fixture
def visitor_actions(app, identify_visitor):
    """visitor_actions(link, email, name) -> a visitor who favourites, comments and submits through the share API."""

    class Visitor:
        def __init__(self, link, email="client@example.com", name=None):
            self.base = f"/api/v1/share/{link.token}"
            self.http = app.test_client()
            self.headers = {"Authorization": f"Bearer {identify_visitor(link, email, name)}"}
            self.http.get(self.base, headers=self.headers)

        def favourite(self, photo_id, note=None):
            answer = self.http.put(f"{self.base}/favourites/{photo_id}", json={"note": note} if note else {},
                                   headers=self.headers)
            assert answer.status_code == 200, answer.json
            return answer.json

        def comment(self, photo_id, body):
            answer = self.http.post(f"{self.base}/photos/{photo_id}/comments", json={"body": body}, headers=self.headers)
            assert answer.status_code == 201, answer.json
            return answer.json

        def submit(self, note=None):
            answer = self.http.post(f"{self.base}/selection/submit", json={"note": note} if note else {},
                                    headers=self.headers)
            assert answer.status_code == 200, answer.json
            return answer.json

    return Visitor

