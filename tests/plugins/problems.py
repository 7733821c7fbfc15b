"""Checking RFC 9457 problem answers: `problem(response, status)` asserts the shape and returns the body."""


def problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and "type" in body and "detail" in body
    return body
