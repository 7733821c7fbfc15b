"""State versions: one counter per gallery and one per visitor, bumped by every write that changes what a share
link shows, in the same transaction as the write.

- `galleries.state_version`: photos (added, processed, moved, hidden, deleted), their renditions, sets, the
  gallery's own settings, its share links.
- `visitors.state_version`: the visitor's favourite lists, favourites, notes and selections.

Cached share responses and their ETags are keyed by both (gallery.sharing.page_cache), so a bump makes every
cached view that could have changed unreachable at once, across processes and machines, with no list of keys to
delete. The bump is one rule in one place: an `after_flush` hook of every ORM session looks at what the flush
wrote, so no service has to remember it. Statements that bypass the unit of work (bulk `update()`/`delete()` on
these tables) are caught by `do_orm_execute`: the rows they are about to touch are read first, see `_bulk_statement`.

Tables are named, not imported, so this module stays below the domains that own them.
"""
from __future__ import annotations

import logging
from itertools import chain

from sqlalchemy import bindparam, event, select, text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# table -> the column naming the gallery whose share views a row shows up in
GALLERY_SCOPED = {"galleries": "id", "photos": "gallery_id", "gallery_sets": "gallery_id",
                  "share_links": "gallery_id"}
# table -> the column naming the visitor whose view a row shows up in
VISITOR_SCOPED = {"favourite_lists": "visitor_id", "selections": "visitor_id"}
RENDITIONS, FAVOURITES = "renditions", "favourites"
WATCHED = {*GALLERY_SCOPED, *VISITOR_SCOPED, RENDITIONS, FAVOURITES}

_BUMP_GALLERIES = text("UPDATE galleries SET state_version = state_version + 1 WHERE id IN :ids") \
    .bindparams(bindparam("ids", expanding=True))
_BUMP_GALLERIES_OF_PHOTOS = text(
    "UPDATE galleries SET state_version = state_version + 1 "
    "WHERE id IN (SELECT gallery_id FROM photos WHERE id IN :ids)").bindparams(bindparam("ids", expanding=True))
_BUMP_VISITORS = text("UPDATE visitors SET state_version = state_version + 1 WHERE id IN :ids") \
    .bindparams(bindparam("ids", expanding=True))
_BUMP_VISITORS_OF_LISTS = text(
    "UPDATE visitors SET state_version = state_version + 1 "
    "WHERE id IN (SELECT visitor_id FROM favourite_lists WHERE id IN :ids)").bindparams(bindparam("ids", expanding=True))


def _changed_rows(session: Session):
    for obj in chain(session.new, session.deleted):
        yield obj
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            yield obj


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session: Session, _flush_context) -> None:
    galleries, photos, visitors, lists = set(), set(), set(), set()
    for obj in _changed_rows(session):
        table = getattr(type(obj), "__tablename__", None)
        if table not in WATCHED:
            continue
        if table in GALLERY_SCOPED:
            galleries.add(getattr(obj, GALLERY_SCOPED[table]))
        elif table == RENDITIONS:
            photos.add(obj.photo_id)
        elif table in VISITOR_SCOPED:
            visitors.add(getattr(obj, VISITOR_SCOPED[table]))
        elif table == FAVOURITES:
            lists.add(obj.list_id)
    _bump(session, galleries, photos, visitors, lists)


def _bump(session: Session, galleries=(), photos=(), visitors=(), lists=()) -> bool:
    bumped = False
    for statement, ids in ((_BUMP_GALLERIES, galleries), (_BUMP_GALLERIES_OF_PHOTOS, photos),
                           (_BUMP_VISITORS, visitors), (_BUMP_VISITORS_OF_LISTS, lists)):
        ids = sorted(i for i in ids if i is not None)  # a stable order: concurrent bumps lock rows alike
        if ids:
            session.connection().execute(statement, {"ids": ids})
            bumped = True
    if bumped:
        session.info["state_versions_bumped"] = True
    return bumped


@event.listens_for(Session, "after_flush_postexec")
def _expire_after_flush(session: Session, _flush_context) -> None:
    if session.info.pop("state_versions_bumped", False):
        _expire_versions(session)


def _expire_versions(session: Session) -> None:
    """The counters were raised in SQL: galleries and visitors already loaded read theirs again when asked."""
    for obj in list(session.identity_map.values()):
        if getattr(type(obj), "__tablename__", None) in ("galleries", "visitors"):
            session.expire(obj, ["state_version"])


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    """A bulk UPDATE or DELETE on a watched table names its rows by a WHERE clause: read the scoping column of
    those rows first (the same WHERE, in the same transaction) and bump what they belong to."""
    if not (state.is_update or state.is_delete):
        return
    table = state.statement.table
    name = getattr(table, "name", None)
    if name not in WATCHED:
        return
    column = {**GALLERY_SCOPED, **VISITOR_SCOPED, RENDITIONS: "photo_id", FAVOURITES: "list_id"}[name]
    query = select(table.c[column]).distinct()
    if state.statement.whereclause is not None:
        query = query.where(state.statement.whereclause)
    scope = set(state.session.execute(query, state.parameters or {}).scalars())
    if _bump(state.session,
             galleries=scope if name in GALLERY_SCOPED else (),
             photos=scope if name == RENDITIONS else (),
             visitors=scope if name in VISITOR_SCOPED else (),
             lists=scope if name == FAVOURITES else ()):
        state.session.info.pop("state_versions_bumped", None)
        _expire_versions(state.session)
