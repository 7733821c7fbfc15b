"""S3 storage through boto3: presigned GETs for serving, presigned PUTs and
multipart part URLs for direct uploads (the app never touches those bytes).

Works with any S3-compatible server (`GALLERY_S3_ENDPOINT_URL`); renditions
may be served from a CDN in front of the bucket (`GALLERY_CDN_BASE_URL`).
"""
from __future__ import annotations

from typing import BinaryIO, Iterator

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError
from flask import Response, redirect

from gallery.core.filenames import content_disposition
from gallery.storage.base import ObjectNotFound

CHUNK = 1024 * 1024
# Short: the app's own signed /files/ URL is the revocable credential; this one only lasts the redirect.
SERVE_TTL = 60
UPLOAD_TTL = 3600
# Streams above 16 MB go up in 8 MB parts, two at a time: memory stays bounded (~16 MB) whatever the size.
TRANSFER = TransferConfig(multipart_threshold=16 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024,
                          max_concurrency=2)


def _missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str = "us-east-1",
                 access_key_id: str | None = None, secret_access_key: str | None = None,
                 cdn_base_url: str | None = None):
        self.bucket = bucket
        self.cdn_base_url = cdn_base_url.rstrip("/") if cdn_base_url else None
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region, aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(signature_version="s3v4", retries={"max_attempts": 3, "mode": "standard"},
                          s3={"addressing_style": "path"}, connect_timeout=5, read_timeout=60),
        )

    @classmethod
    def from_settings(cls, settings) -> "S3Storage":
        return cls(settings.s3_bucket, endpoint_url=settings.s3_endpoint_url, region=settings.s3_region,
                   access_key_id=settings.s3_access_key_id, secret_access_key=settings.s3_secret_access_key,
                   cdn_base_url=settings.cdn_base_url)

    # -- the Storage interface -------------------------------------------------------------

    def save(self, key: str, stream: BinaryIO, *, content_type: str | None = None) -> int:
        counter = _CountingReader(stream)
        extra = {"ContentType": content_type} if content_type else {}
        # upload_fileobj switches to multipart for big streams: constant memory whatever the size.
        self.client.upload_fileobj(counter, self.bucket, key, ExtraArgs=extra, Config=TRANSFER)
        return counter.count

    def save_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> int:
        extra = {"ContentType": content_type} if content_type else {}
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, **extra)
        return len(data)

    def open(self, key: str) -> BinaryIO:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as error:
            if _missing(error):
                raise ObjectNotFound(key) from None
            raise

    def iter_range(self, key: str, start: int = 0, end: int | None = None, chunk_size: int = CHUNK) -> Iterator[bytes]:
        if end is not None and end <= start:
            return
        byte_range = f"bytes={start}-{'' if end is None else end - 1}"
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key, Range=byte_range)["Body"]
        except ClientError as error:
            if _missing(error):
                raise ObjectNotFound(key) from None
            raise
        try:
            yield from body.iter_chunks(chunk_size)
        finally:
            body.close()

    def head(self, key: str) -> dict:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _missing(error):
                raise ObjectNotFound(key) from None
            raise

    def size(self, key: str) -> int:
        return self.head(key)["ContentLength"]

    def exists(self, key: str) -> bool:
        try:
            self.head(key)
        except ObjectNotFound:
            return False
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def delete_prefix(self, prefix: str) -> None:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            objects = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if objects:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})

    def serve(self, key: str, *, content_type: str | None = None, download_name: str | None = None) -> Response:
        """302 to the object: a CDN URL for renditions, else a presigned GET valid for a minute."""
        if self.cdn_base_url and key.startswith("renditions/") and not download_name:
            return redirect(f"{self.cdn_base_url}/{key}", code=302)
        params = {"Bucket": self.bucket, "Key": key}
        if content_type:
            params["ResponseContentType"] = content_type
        if download_name:
            params["ResponseContentDisposition"] = content_disposition(download_name)
        url = self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=SERVE_TTL)
        response = redirect(url, code=302)
        response.headers["Cache-Control"] = "private, no-store"
        return response

    # -- direct uploads (browser or CLI -> bucket) ---------------------------------------

    def presigned_put(self, key: str, *, content_type: str | None = None, expires_in: int = UPLOAD_TTL) -> dict:
        params = {"Bucket": self.bucket, "Key": key}
        headers = {}
        if content_type:
            params["ContentType"] = content_type
            headers["Content-Type"] = content_type
        url = self.client.generate_presigned_url("put_object", Params=params, ExpiresIn=expires_in)
        return {"method": "PUT", "url": url, "headers": headers}

    def start_multipart(self, key: str, *, content_type: str | None = None) -> str:
        extra = {"ContentType": content_type} if content_type else {}
        return self.client.create_multipart_upload(Bucket=self.bucket, Key=key, **extra)["UploadId"]

    def presigned_part(self, key: str, upload_id: str, part_number: int, *, expires_in: int = UPLOAD_TTL) -> str:
        return self.client.generate_presigned_url(
            "upload_part", ExpiresIn=expires_in,
            Params={"Bucket": self.bucket, "Key": key, "UploadId": upload_id, "PartNumber": part_number})

    def complete_multipart(self, key: str, upload_id: str, parts: list[dict]) -> None:
        """`parts`: [{part_number, etag}] in any order."""
        ordered = sorted(({"PartNumber": p["part_number"], "ETag": p["etag"]} for p in parts),
                         key=lambda p: p["PartNumber"])
        self.client.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                              MultipartUpload={"Parts": ordered})

    def uploaded_parts(self, key: str, upload_id: str) -> list[dict]:
        """The parts of an unfinished multipart upload that arrived: [{part_number, etag, bytes}]."""
        parts, marker = [], 0
        while True:
            page = self.client.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumberMarker=marker)
            parts += [{"part_number": p["PartNumber"], "etag": p["ETag"], "bytes": p["Size"]}
                      for p in page.get("Parts", [])]
            if not page.get("IsTruncated"):
                return parts
            marker = page["NextPartNumberMarker"]

    def abort_multipart(self, key: str, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NoSuchUpload":
                raise


class _CountingReader:
    """Wraps a stream to count the bytes boto3 reads from it."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data


def is_transient(error: BaseException) -> bool:
    """Storage errors worth retrying: the network, throttling, the server's 5xx."""
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError

    if isinstance(error, (BotoConnectionError, ConnectTimeoutError, ReadTimeoutError, ConnectionError,
                          TimeoutError)):
        return True
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        code = error.response.get("Error", {}).get("Code", "")
        return status >= 500 or code in {"SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable"}
    return False
