"""Blueprint registration and the cross-cutting HTTP policy: CSRF, CORS, security headers."""
from __future__ import annotations

from flask import Flask, current_app
from flask_smorest import Blueprint
from sqlalchemy import text

from gallery.accounts.auth import protect_cookie_writes
from gallery import cors
from gallery.core import transaction
from gallery.core.request_guard import guard_request
from gallery.errors import Problem
from gallery.extensions import db

health = Blueprint("health", __name__, description="Service health")


@health.get("/healthz")
@health.response(200, description="The database answers.")
def healthz():
    """200 when the database is reachable, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        raise Problem(503, f"Database unreachable: {type(error).__name__}") from None
    return {"status": "ok"}


def _blueprints():
    from gallery.accounts.api import blp as accounts
    from gallery.accounts.brand_api import blp as brand
    from gallery.clients.api import blp as clients
    from gallery.clients.transfer_api import blp as client_transfer
    from gallery.retention.directory_api import blp as client_directory
    from gallery.galleries.api import blp as galleries
    from gallery.galleries.photos_api import blp as photos
    from gallery.galleries.uploads_resume_api import blp as uploads_resume
    from gallery.storage.api import blp as files
    from gallery.sharing.links_api import blp as share_links
    from gallery.proofing.api import blp as share
    from gallery.sharing.api import blp as share_access
    from gallery.proofing.photographer_api import blp as selections
    from gallery.downloads.api import blp as share_downloads
    from gallery.insights.activity_api import blp as activity
    from gallery.store.api import blp as store
    from gallery.store.api import share_blp as store_share
    from gallery.store.catalogue_api import blp as store_catalogue
    from gallery.web_client.pages import blp as pages
    from gallery.retention.api import blp as retention, links as retention_links
    from gallery.retention.program_api import blp as retention_program
    from gallery.insights.analytics_api import blp as analytics
    from gallery.privacy.api import blp as client_data
    from gallery.probes import blp as probes
    from gallery.proofing.replies_api import blp as comment_replies
    from gallery.proofing.lists_api import blp as share_lists
    from gallery.store.buyer_api import blp as store_buyer
    from gallery.downloads.options_api import blp as download_options
    from gallery.web_client.app import blp as gallery_app
    from gallery.galleries.bulk_api import blp as photo_bulk
    from gallery.insights.summaries_api import blp as gallery_summaries
    from gallery.proofing.favourites_api import blp as favourite_lists
    from gallery.studio.pages import blp as studio
    from gallery.inbox.api import blp as inbox

    return [health, probes, accounts, brand, client_data, client_directory, client_transfer, clients, galleries, photos,
            uploads_resume, files, share_links, share,
            selections, share_downloads, activity, store, store_share, store_catalogue, pages, retention,
            retention_links, retention_program, analytics, share_access, comment_replies, share_lists, store_buyer,
            download_options, gallery_app, photo_bulk, gallery_summaries, favourite_lists, studio, inbox]


def register(app: Flask, api) -> None:
    for blueprint in _blueprints():
        api.register_blueprint(blueprint)
    app.before_request(guard_request)  # first: nothing may read the body before its limit is set
    app.before_request(cors.answer_preflight)
    app.before_request(protect_cookie_writes)
    app.after_request(cors.add_headers)
    app.after_request(security_headers)
    transaction.install(app)  # registered last, so it runs first: commit before the answer leaves


def security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
    if response.mimetype in {"application/json", "application/problem+json"}:
        headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        headers.setdefault("Cache-Control", "no-store")
    if current_app.config["GALLERY"].public_base_url.startswith("https://"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
