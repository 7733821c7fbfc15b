"""Downloads under the gallery's policy: single photos and streamed zip archives.

Policy per role (none / web / full), an optional 4-digit PIN, a per-visitor
limit. Every download writes its event in the same transaction that counts it.
"""
from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import dataclass

from sqlalchemy import select, update

from gallery.core.passwords import verify_password
from gallery.core.filenames import safe_filename
from gallery.downloads import crc
from gallery.downloads.location import LocationFree
from gallery.downloads.zipstream import ZipEntry, ZipPlan
from gallery.engagement.services import record_event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.sharing.access import ShareAccess
from gallery.galleries.models import Photo, Rendition
from gallery.proofing.favourites import get_list
from gallery.proofing.models import Favourite
from gallery.sharing import visibility
from gallery.sharing.models import Visitor
from gallery.storage import get_storage
from gallery.store.purchases import visitor_has_digital_purchase

PIN_HEADER = "X-Download-Pin"
ZIP_CHUNK = 1024 * 1024


@dataclass
class DownloadFile:
    key: str
    name: str
    content_type: str
    size: int
    location_free: LocationFree | None = None  # an original whose GPS position is removed on the way out


def check_policy(access: ShareAccess, size: str, photo_id: str | None = None) -> str:
    """The size actually served ("original" or "web"); 403 when the link may not have it.

    A visitor who paid for a digital download gets full size whatever the policy: of that photo
    (`photo_id`), or of everything (no `photo_id`) after buying the whole gallery."""
    allowed = visibility.download_size(access)
    if allowed != "full" and access.visitor is not None and visitor_has_digital_purchase(
            access.gallery.id, access.visitor.id, photo_id):
        allowed = "full"
    if allowed == "none":
        raise Problem(403, "Downloads are not offered on this gallery.")
    if size == "original" and allowed != "full":
        raise Problem(403, "Only web-size downloads are offered on this gallery.", allowed="web")
    return "original" if size == "original" or (size == "default" and allowed == "full") else "web"


def check_pin(access: ShareAccess, pin: str | None) -> None:
    pin_hash = access.gallery.download_pin_hash
    if pin_hash is None:
        return
    if not pin:
        raise Problem(403, "Enter the 4-digit download PIN the photographer gave you.", pin_required=True)
    if not verify_password(pin_hash, pin):  # argon2: constant time, and slow to guess offline
        raise Problem(403, "That download PIN is not right.", pin_required=True)


def check_download_identity(access: ShareAccess) -> None:
    """Downloads of a gallery with a limit are counted per person: the visitor must be identified."""
    if access.gallery.download_limit is not None and access.visitor is None:
        raise Problem(401, "Downloads on this gallery are counted per person: identify with your email first.",
                      needs_visitor=True)


def count_download(access: ShareAccess) -> None:
    """Take one of the visitor's downloads (one UPDATE, so parallel requests cannot exceed the limit)."""
    limit = access.gallery.download_limit
    if limit is None:
        return
    check_download_identity(access)
    taken = db.session.execute(update(Visitor).where(Visitor.id == access.visitor.id, Visitor.downloads < limit)
                               .values(downloads=Visitor.downloads + 1)).rowcount
    if not taken:
        raise Problem(403, f"You have used all {limit} downloads of this gallery. Ask the photographer for more.",
                      download_limit=limit)


def _web_renditions(access: ShareAccess, photo_ids: list[str], purpose: str) -> dict[str, Rendition]:
    """Each photo's web-size rendition this link may download (the visibility rule picks it)."""
    clean = access.sees_clean
    rows: dict[str, list[Rendition]] = {}
    for rendition in db.session.scalars(select(Rendition).where(
            Rendition.photo_id.in_(photo_ids), Rendition.name.in_(visibility.rendition_names(clean, purpose)),
            Rendition.format == "jpeg")):
        rows.setdefault(rendition.photo_id, []).append(rendition)
    best = {photo_id: visibility.best_rendition(clean, purpose, renditions) for photo_id, renditions in rows.items()}
    return {photo_id: rendition for photo_id, rendition in best.items() if rendition is not None}


def _location_free(access: ShareAccess, photo: Photo) -> LocationFree | None:
    """Originals leave without their GPS position unless the photographer keeps it for this gallery."""
    if access.gallery.keep_location or (photo.content_type or "image/jpeg") != "image/jpeg":
        return None
    return LocationFree(get_storage(), photo.storage_key, photo.bytes, photo.crc32)


def _stem(filename: str) -> str:
    return filename.rsplit(".", 1)[0] if "." in filename else filename


def single_download(access: ShareAccess, photo_id: str, size: str, pin: str | None) -> DownloadFile:
    photo = visibility.get_visible_photo(access, photo_id)
    served = check_policy(access, size, photo.id)
    check_pin(access, pin)
    if served == "original":
        file = DownloadFile(photo.storage_key, safe_filename(photo.original_filename),
                            photo.content_type or "application/octet-stream", photo.bytes,
                            location_free=_location_free(access, photo))
    else:
        rendition = _web_renditions(access, [photo.id], "download").get(photo.id)
        if rendition is None:
            raise Problem(409, "This photo is still being prepared; try again in a minute.")
        file = DownloadFile(rendition.storage_key, safe_filename(_stem(photo.original_filename) + ".jpg"),
                            "image/jpeg", rendition.bytes)
    count_download(access)
    record_event("downloaded", photographer_id=access.gallery.photographer_id, gallery_id=access.gallery.id,
                 client_id=access.client_id, visitor_id=access.visitor_id, photo_id=photo.id,
                 payload={"size": served})
    db.session.flush()
    return file


# --- zip ----------------------------------------------------------------------------------------------------------

@dataclass
class ZipDownload:
    plan: ZipPlan
    filename: str
    etag: str
    scope: str
    size: str


def _unique_names(names: list[str], folders: list[str] | None = None) -> list[str]:
    """Safe paths (`folder/name`, or `name` where the folder is empty), duplicates disambiguated as
    `name (2).jpg`, deterministically (the order is the photos')."""
    seen: set[str] = set()
    result = []
    for raw, folder in zip(names, folders or [""] * len(names)):
        name = safe_filename(raw, fallback="photo")
        prefix = safe_filename(folder, fallback="set") + "/" if folder else ""
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        candidate, n = prefix + name, 2
        while candidate.lower() in seen:
            candidate = f"{prefix}{stem} ({n}){dot}{ext}"
            n += 1
        seen.add(candidate.lower())
        result.append(candidate)
    return result


def _ensure_crc32(rows) -> None:
    """A zip lays out from sizes and CRCs: fill in any a file stored before they were recorded (rare: new
    files get theirs when stored, older ones from the backfill job). Flushes; the request commits."""
    crc.fill_missing(rows)


def zip_photos(access: ShareAccess, scope: str, list_id: str | None) -> list[Photo]:
    stmt = visibility.visible_photos(access)
    if scope == "favourites":
        if access.visitor is None:
            raise Problem(401, "Identify with your email to download your favourites.", needs_visitor=True)
        favourite_list = get_list(access, list_id)
        stmt = stmt.where(Photo.id.in_(select(Favourite.photo_id).where(Favourite.list_id == favourite_list.id)))
    elif scope.startswith("set:"):
        stmt = stmt.where(Photo.set_id == visibility.get_visible_set(access, scope[4:]).id)
    elif scope != "all":
        raise Problem(422, "scope is all, favourites or set:<set id>.", errors={"scope": ["Unknown scope."]})
    return list(db.session.scalars(stmt.order_by(Photo.position, Photo.id)))


def plan_zip(access: ShareAccess, scope: str, size: str, pin: str | None, list_id: str | None = None) -> ZipDownload:
    served = check_policy(access, size)
    check_pin(access, pin)
    photos = zip_photos(access, scope, list_id)
    if not photos:
        raise Problem(404, "There are no photos to download here.")
    entries = zip_entries(access, scope, served, photos)
    plan = ZipPlan(entries)
    fingerprint = hashlib.sha256()
    for entry in entries:
        fingerprint.update(f"{entry.name}\0{entry.key}\0{entry.size}\0{entry.crc32}\0"
                           f"{entry.location_free is not None}\n".encode())
    label = "favourites" if scope == "favourites" else "set" if scope.startswith("set:") else None
    if label == "set":
        label = visibility.get_visible_set(access, scope[4:]).name
    filename = safe_filename(f"{access.gallery.title}{' - ' + label if label else ''}.zip", fallback="gallery.zip")
    return ZipDownload(plan, filename, fingerprint.hexdigest()[:32], scope, served)


def zip_entries(access: ShareAccess, scope: str, served: str, photos: list[Photo], *,
                with_crc: bool = True) -> list[ZipEntry]:
    """The archive's entries; without CRCs (`with_crc=False`) they still give its exact length."""
    if served == "original":
        sources = photos
        names = [photo.original_filename for photo in photos]
    else:
        renditions = _web_renditions(access, [p.id for p in photos], "zip")
        photos = [p for p in photos if p.id in renditions]
        sources = [renditions[p.id] for p in photos]
        names = [_stem(p.original_filename) + ".jpg" for p in photos]
    if with_crc:
        _ensure_crc32(sources)
    # The whole gallery keeps its sets as folders ("Ceremony/DSC_0012.jpg"); a set or the favourites are flat.
    set_names = {s.id: s.name for s in visibility.visible_sets(access)} if scope == "all" else {}
    folders = [set_names.get(photo.set_id, "") for photo in photos]
    return [ZipEntry(name, source.storage_key, source.bytes, source.crc32 or 0, photo.taken_at or photo.created_at,
                     _location_free(access, photo) if served == "original" and with_crc else None)
            for name, source, photo in zip(_unique_names(names, folders), sources, photos)]


def record_zip_download(access: ShareAccess, download: ZipDownload, *, started: bool = True) -> None:
    """Every zip request that sends data counts against the limit, ranged or not (see the route); the
    activity log has one event per archive started from byte 0 (a resumed range is the same download)."""
    count_download(access)
    if not started:
        return
    record_event("zip_downloaded", photographer_id=access.gallery.photographer_id, gallery_id=access.gallery.id,
                 client_id=access.client_id, visitor_id=access.visitor_id,
                 payload={"scope": download.scope, "size": download.size, "files": len(download.plan.planned),
                          "bytes": download.plan.length})
    db.session.flush()


def zip_reader(environ: dict | None = None):
    """read(key, start, end) over the configured storage, for ZipPlan.bind (needs no app context later).

    Fast path: under gunicorn with local storage the file data goes from the page cache to the client's
    socket with sendfile(2) (zero-copy, like a static file), between the archive's own header bytes that
    the server writes in order. Anywhere else (S3, TLS in the app server, the test client) it streams
    chunks, which is just as correct.
    """
    storage = get_storage()
    sock = (environ or {}).get("gunicorn.socket")
    if sock is not None and hasattr(storage, "path") and type(sock) is socket.socket and sock.getblocking():
        def send(key: str, start: int, end: int):
            with open(storage.path(key), "rb") as handle:
                # Ask the kernel to read the whole slice ahead, so disk reads overlap with sending.
                os.posix_fadvise(handle.fileno(), start, end - start, os.POSIX_FADV_WILLNEED)
                sock.sendfile(handle, offset=start, count=end - start)
            yield from ()

        return send, True

    def read(key: str, start: int, end: int):
        return storage.iter_range(key, start, end, chunk_size=ZIP_CHUNK)

    return read, False
