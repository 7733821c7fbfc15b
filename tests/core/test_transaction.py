"""One owner of the transaction: routes never commit, the request's end does (or rolls back)."""
from __future__ import annotations

import re
from pathlib import Path

from marshmallow import class_registry, fields
from sqlalchemy import func, select

import gallery
from gallery.clients.models import Client
from gallery.core.schemas import Timestamp
from gallery.errors import Problem
from gallery.extensions import db
from gallery.retention.models import LoyaltyTier
from tests.plugins.problems import problem

PACKAGE = Path(gallery.__file__).parent


def _count(model) -> int:
    db.session.remove()  # a fresh session: only what was committed
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_route_failing_after_its_write_leaves_nothing(photographer_api, monkeypatch):
    from gallery.clients import services

    create = services.create_client

    def create_then_refuse(photographer_id, data):
        client = create(photographer_id, data)  # inserted and flushed
        assert client.id
        raise Problem(422, "Refused after the write.")

    monkeypatch.setattr(services, "create_client", create_then_refuse)
    problem(photographer_api.post("/api/v1/clients", json={"name": "Kari"}), 422)
    assert _count(Client) == 0


def test_a_second_step_failing_rolls_back_the_first(photographer_api, monkeypatch):
    from gallery.retention import loyalty

    def refuse(**_kwargs):
        raise Problem(422, "The tiers cannot be recomputed.")

    monkeypatch.setattr(loyalty, "recompute", refuse)
    problem(photographer_api.post("/api/v1/loyalty/tiers", json={"name": "Friend", "min_sessions": 1}), 422)
    assert _count(LoyaltyTier) == 0


def test_a_successful_write_is_committed_by_the_request(photographer_api):
    created = photographer_api.post("/api/v1/clients", json={"name": "Kari"})
    assert created.status_code == 201 and created.json["id"]
    assert _count(Client) == 1


def test_no_api_module_commits():
    """Routes do not commit: the after-request hook is the one committer (gallery/core/transaction.py)."""
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{number}"
                 for path in sorted(PACKAGE.rglob("*api*.py"))
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if re.search(r"\bsession\.commit\(\)|\btransaction\.commit\(\)|^\s*commit\(\)", line)]
    assert offenders == []


def test_every_schema_timestamp_is_the_utc_one(app):
    """A timestamp field that is not `Timestamp` would echo whatever offset the value had in memory."""
    def walk(field):
        yield field
        for inner in (getattr(field, "inner", None), getattr(field, "value_field", None)):
            if inner is not None:
                yield from walk(inner)

    loose = sorted({f"{schema.__module__}.{schema.__name__}.{name}"
                    for classes in class_registry._registry.values() for schema in classes
                    if schema.__module__.startswith("gallery.")
                    for name, declared in schema._declared_fields.items() for field in walk(declared)
                    if isinstance(field, fields.DateTime) and not isinstance(field, Timestamp)})
    assert loose == []


def test_timestamps_are_answered_in_utc_with_an_offset(photographer_api):
    gallery_id = photographer_api.post("/api/v1/galleries", json={"title": "Wedding"}).json["id"]
    published = photographer_api.post(f"/api/v1/galleries/{gallery_id}/publish",
                                      json={"expires_at": "2031-06-01T12:00:00+02:00"})
    assert published.status_code == 200, published.json
    assert published.json["expires_at"] == "2031-06-01T10:00:00+00:00"
    assert published.json["published_at"].endswith("+00:00")
    assert published.json["updated_at"].endswith("+00:00")
    again = photographer_api.get(f"/api/v1/galleries/{gallery_id}").json
    assert again["expires_at"] == published.json["expires_at"]
    assert again["updated_at"] == published.json["updated_at"]


def test_timestamp_reads_a_naive_value_as_utc():
    from datetime import datetime, timedelta, timezone

    field = Timestamp()
    assert field.serialize("at", {"at": datetime(2030, 1, 2, 3, 4, 5)}) == "2030-01-02T03:04:05+00:00"
    oslo = timezone(timedelta(hours=1))
    assert field.serialize("at", {"at": datetime(2030, 1, 2, 4, 4, 5, tzinfo=oslo)}) == "2030-01-02T03:04:05+00:00"
    assert field.deserialize("2030-01-02T03:04:05").tzinfo is not None
