"""The uploader's retry rules: which answers are retried, and how long it waits."""
import email.utils
import time

from gallery_upload.api import RETRYABLE_STATUS, RetryPolicy, retry_after_seconds


def test_backoff_grows_with_jitter_up_to_the_cap():
    policy = RetryPolicy(attempts=8, base=0.5, cap=30.0)
    for attempt in range(12):
        waits = {round(policy.delay(attempt), 6) for _ in range(50)}
        assert len(waits) > 1, "jittered"
        assert all(0.25 <= wait <= min(30.0, 0.5 * 2 ** attempt) for wait in waits)
    assert not policy.gives_up(6) and policy.gives_up(7)
    assert not RetryPolicy(attempts=None).gives_up(10_000)  # watch mode: for ever


def test_retry_after_is_honoured_in_seconds_or_as_a_date():
    policy = RetryPolicy()
    assert retry_after_seconds("7") == 7.0 and policy.delay(0, 7.0) == 7.0
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after_seconds(later) <= 31
    assert retry_after_seconds(email.utils.formatdate(time.time() - 60, usegmt=True)) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    assert policy.delay(0, 10_000.0) == policy.max_retry_after  # a silly Retry-After is capped


def test_only_answers_that_may_change_are_retried():
    assert {429, 500, 502, 503, 504} <= RETRYABLE_STATUS
    assert not {400, 401, 403, 404, 409, 410, 411, 413, 415, 422} & RETRYABLE_STATUS
