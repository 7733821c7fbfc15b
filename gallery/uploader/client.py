"""Upload a folder to a gallery through the public API, as a photographer's laptop would.

Hashes every file (sha256), asks the gallery which hashes it already has (so an
interrupted run resumes where it stopped), then uploads the rest in parallel:
direct to the bucket when the server offers presigned URLs, else through the
app's multipart endpoint. Bytes are streamed from disk, never loaded whole.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpx

from gallery.imaging import sniff_image_type

CHUNK = 1024 * 1024
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff", "webp": "image/webp",
                 "heic": "image/heic"}
CHECK_BATCH = 1000


class UploadError(RuntimeError):
    pass


@dataclass
class LocalFile:
    path: Path
    size: int
    sha256: str = ""
    content_type: str | None = None


@dataclass
class Report:
    uploaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already in the gallery
    not_images: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file -> reason


def find_files(folder: Path, recursive: bool = False) -> list[LocalFile]:
    pattern = "**/*" if recursive else "*"
    return [LocalFile(p, p.stat().st_size) for p in sorted(folder.glob(pattern))
            if p.is_file() and not p.name.startswith(".")]


def hash_file(local: LocalFile) -> LocalFile:
    digest = hashlib.sha256()
    with local.path.open("rb") as handle:
        head = handle.read(64)
        digest.update(head)
        while block := handle.read(CHUNK):
            digest.update(block)
    local.sha256 = digest.hexdigest()
    local.content_type = CONTENT_TYPES.get(sniff_image_type(head))
    return local


class _ProgressReader:
    """A file slice whose reads advance the progress bar."""

    def __init__(self, path: Path, start: int, length: int, advance: Callable[[int], None]):
        self.handle = path.open("rb")
        self.handle.seek(start)
        self.remaining = length
        self.advance = advance

    def __iter__(self):
        try:
            while self.remaining > 0:
                block = self.handle.read(min(CHUNK, self.remaining))
                if not block:
                    break
                self.remaining -= len(block)
                self.advance(len(block))
                yield block
        finally:
            self.handle.close()


class _ProgressFile:
    """A whole file for httpx's multipart encoder; reads advance the progress bar."""

    def __init__(self, handle, advance: Callable[[int], None]):
        self.handle = handle
        self.advance = advance

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.advance(len(data))
        return data

    def __getattr__(self, name):
        return getattr(self.handle, name)


class Uploader:
    def __init__(self, base_url: str, token: str, gallery_id: str, *, jobs: int = 4, timeout: float = 300.0,
                 advance: Callable[[int], None] = lambda n: None):
        self.base_url = base_url.rstrip("/")
        self.gallery_id = gallery_id
        self.jobs = jobs
        self.advance = advance
        self.api = httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {token}"},
                                timeout=timeout)
        self.bucket = httpx.Client(timeout=timeout)  # presigned URLs: no bearer token to the bucket

    def close(self):
        self.api.close()
        self.bucket.close()

    def _api(self, method: str, path: str, **kwargs) -> dict:
        response = self.api.request(method, path, **kwargs)
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail")
            except ValueError:
                detail = response.text[:200]
            raise UploadError(f"{method} {path}: {response.status_code} {detail}")
        return response.json() if response.content else {}

    def check_gallery(self) -> dict:
        return self._api("GET", f"/api/v1/galleries/{self.gallery_id}")

    def existing(self, hashes: list[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for start in range(0, len(hashes), CHECK_BATCH):
            batch = hashes[start:start + CHECK_BATCH]
            found.update(self._api("POST", f"/api/v1/galleries/{self.gallery_id}/uploads/check",
                                   json={"sha256": batch})["existing"])
        return found

    def upload(self, local: LocalFile) -> dict:
        """Upload one file; returns the API's {photo, duplicate}."""
        plan_answer = self._api("POST", f"/api/v1/galleries/{self.gallery_id}/uploads", json={
            "filename": local.path.name, "bytes": local.size, "sha256": local.sha256,
            "content_type": local.content_type})
        plan = plan_answer.get("plan") or {}
        if plan_answer.get("duplicate"):
            self.advance(local.size)
            return plan_answer
        if plan.get("strategy") == "form":
            return self._upload_form(plan["url"], local)
        if plan.get("strategy") == "put":
            reader = _ProgressReader(local.path, 0, local.size, self.advance)
            response = self.bucket.put(plan["url"], content=iter(reader),
                                       headers={**plan.get("headers", {}), "Content-Length": str(local.size)})
            self._bucket_ok(response, local)
            parts = None
        else:
            parts = []
            for part in plan["parts"]:
                start = (part["part_number"] - 1) * plan["part_size"]
                reader = _ProgressReader(local.path, start, part["bytes"], self.advance)
                response = self.bucket.put(part["url"], content=iter(reader),
                                           headers={"Content-Length": str(part["bytes"])})
                self._bucket_ok(response, local)
                parts.append({"part_number": part["part_number"], "etag": response.headers["ETag"]})
        photo = self._api("POST", plan["complete_url"], json={"parts": parts} if parts else {})
        return {"photo": photo, "duplicate": False}

    @staticmethod
    def _bucket_ok(response: httpx.Response, local: LocalFile) -> None:
        if response.status_code >= 300:
            raise UploadError(f"{local.path.name}: storage answered {response.status_code}")

    def _upload_form(self, url: str, local: LocalFile) -> dict:
        with local.path.open("rb") as handle:
            files = {"file": (local.path.name, _ProgressFile(handle, self.advance),
                              local.content_type or "application/octet-stream")}
            return self._api("POST", url, files=files, data={"sha256": local.sha256})

    def run(self, files: list[LocalFile], on_done: Callable[[LocalFile, str], None] = lambda f, s: None) -> Report:
        """Upload `files` (already hashed) that the gallery does not have yet."""
        report = Report()
        have = self.existing([f.sha256 for f in files if f.content_type])
        todo = []
        for local in files:
            if local.content_type is None:
                report.not_images.append(str(local.path))
                on_done(local, "not an image")
            elif local.sha256 in have and have[local.sha256]["status"] != "uploading":
                report.skipped.append(str(local.path))
                self.advance(local.size)
                on_done(local, "already there")
            else:
                todo.append(local)
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = {pool.submit(self.upload, local): local for local in todo}
            for future in as_completed(futures):
                local = futures[future]
                try:
                    answer = future.result()
                except (UploadError, httpx.HTTPError, OSError) as error:
                    report.failed[str(local.path)] = str(error)
                    on_done(local, f"error: {error}")
                    continue
                photo = answer.get("photo") or {}
                if answer.get("duplicate"):
                    report.skipped.append(str(local.path))
                    on_done(local, "already there")
                elif photo.get("status") == "failed":
                    report.failed[str(local.path)] = photo.get("failure_reason") or "failed"
                    on_done(local, f"failed: {photo.get('failure_reason')}")
                else:
                    report.uploaded.append(str(local.path))
                    on_done(local, photo.get("status", "uploaded"))
        return report


def default_token() -> str | None:
    return os.environ.get("GALLERY_API_TOKEN")
