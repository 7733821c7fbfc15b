"""State versions: one counter per gallery and one per visitor, bumped by every write that changes what a share
link shows, in the same transaction as the write.

- `galleries.state_version`: photos (added, processed, moved, hidden, deleted), their renditions, sets, the
  gallery's own settings, its share links.
- `visitors.state_version`: the visitor's favourite lists, favourites, notes and selections.

Cached share responses and their ETags are keyed by both (gallery.sharing.page_cache), so a bump makes every
cached view that could have changed unreachable at once, across processes and machines, with no list of keys to
delete. The bump is one rule in one place: flush hooks of every ORM session look at what a flush writes (rows
changed or deleted before it, new rows after it), so no service has to remember it. Statements that bypass the unit of work (bulk `update()`/`delete()` on
these tables, ORM bulk inserts) are caught by `do_orm_execute`, see `_bulk_statement`.

Tables are named, not imported, so this module stays below the domains that own them.
"""
from __future__ import annotations

from sqlalchemy import bindparam, event, select, text
from sqlalchemy.orm import Session

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


class _Scope:
    """The galleries, photos, visitors and favourite lists a set of written rows belongs to."""

    def __init__(self):
        self.galleries, self.photos, self.visitors, self.lists = set(), set(), set(), set()

    def add(self, table: str, value) -> None:
        if value is None:
            return
        if table in GALLERY_SCOPED:
            self.galleries.add(value)
        elif table == RENDITIONS:
            self.photos.add(value)
        elif table in VISITOR_SCOPED:
            self.visitors.add(value)
        elif table == FAVOURITES:
            self.lists.add(value)

    def add_object(self, obj) -> None:
        table = getattr(type(obj), "__tablename__", None)
        if table in WATCHED:
            self.add(table, getattr(obj, SCOPE_COLUMN[table]))


SCOPE_COLUMN = {**GALLERY_SCOPED, **VISITOR_SCOPED, RENDITIONS: "photo_id", FAVOURITES: "list_id"}


@event.listens_for(Session, "before_flush")
def _scope_before_flush(session: Session, _flush_context, _instances) -> None:
    """Rows about to be changed or deleted: read what they belong to while they still exist."""
    scope = session.info.setdefault("state_scope", _Scope())
    for obj in session.deleted:
        scope.add_object(obj)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            scope.add_object(obj)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous_transaction) -> None:
    session.info.pop("state_scope", None)


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session: Session, _flush_context) -> None:
    """New rows (their foreign keys are set now), with what before_flush gathered: one bump per kind."""
    scope = session.info.pop("state_scope", None) or _Scope()
    for obj in session.new:
        scope.add_object(obj)
    _bump(session, scope.galleries, scope.photos, scope.visitors, scope.lists)


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
    """Bulk statements bypass the unit of work. An INSERT names its rows in its parameters; an UPDATE or DELETE
    by a WHERE clause: read the scoping column of those rows first (same WHERE, same transaction)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = state.statement.table
    name = getattr(table, "name", None)
    if name not in WATCHED:
        return
    column = SCOPE_COLUMN[name]
    scope = _Scope()
    if state.is_insert:
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        for row in rows:
            scope.add(name, row.get(column))
    else:
        query = select(table.c[column]).distinct()
        if state.statement.whereclause is not None:
            query = query.where(state.statement.whereclause)
        for value in state.session.execute(query, state.parameters or {}).scalars():
            scope.add(name, value)
    if _bump(state.session, scope.galleries, scope.photos, scope.visitors, scope.lists):
        state.session.info.pop("state_versions_bumped", None)
        _expire_versions(state.session)
