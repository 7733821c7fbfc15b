"""A cookie session (the studio, any browser front end) uploads through the app like a token does: the CSRF
token is read from the header, never from the multipart body, which is streamed to storage untouched."""
import io

from tests.conftest import CORPUS


def test_cookie_session_multipart_upload_needs_the_header_token(client, make_gallery):
    signup = client.post("/api/v1/auth/signup", json={"email": "c@example.com", "password": "a long secret 42",
                                                      "studio_name": "Cookie"})
    csrf = signup.json["csrf_token"]
    gallery_id = client.post("/api/v1/galleries", json={"title": "G"}, headers={"X-CSRF-Token": csrf}).json["id"]
    data = (CORPUS / "photos" / "portrait_6.jpg").read_bytes()

    def send(headers, form_token=None):
        body = {"file": (io.BytesIO(data), "p.jpg")}
        if form_token:
            body["csrf_token"] = form_token
        return client.post(f"/api/v1/galleries/{gallery_id}/photos", data=body, content_type="multipart/form-data",
                           headers=headers)

    refused = send({}, form_token=csrf)  # a token in the form body is not enough
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert "X-CSRF-Token" in refused.json["detail"]
    done = send({"X-CSRF-Token": csrf})
    assert done.status_code == 201, done.json
    assert done.json["photo"]["status"] == "ready" and done.json["photo"]["original_filename"] == "p.jpg"
