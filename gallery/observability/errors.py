"""Error reporting: Sentry, only when GALLERY_SENTRY_DSN is set (nothing is imported or sent otherwise)."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def init_sentry(settings) -> bool:
    """Start the Sentry SDK with the Flask and RQ integrations; False (and nothing done) without a DSN."""
    if not settings.sentry_dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.rq import RqIntegration

    from gallery.observability.logs import current_request_id

    def tag_request(event, _hint):
        request_id = current_request_id()
        if request_id:
            event.setdefault("tags", {})["request_id"] = request_id
        return event

    sentry_sdk.init(dsn=settings.sentry_dsn, environment=settings.env,
                    integrations=[FlaskIntegration(), RqIntegration()],
                    traces_sample_rate=settings.sentry_traces_sample_rate,
                    # Client emails, addresses and request bodies stay out of error reports.
                    data_collection={"user_info": False, "http_bodies": [], "database_query_data": False},
                    before_send=tag_request)
    log.info("error reporting to Sentry is on")
    return True
