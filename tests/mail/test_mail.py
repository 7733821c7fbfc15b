from email import message_from_bytes, policy

from gallery.mail.services import build_message, send


def test_smtp_backend_delivers_to_a_real_server(app, smtp_server):
    with smtp_server.configured(app):
        send(build_message(to="kari@example.no", subject="Hei", text="Hallo Kari", html="<p>Hallo</p>",
                           headers={"X-Test": "1"}))
    [received] = smtp_server.messages
    assert received["To"] == "kari@example.no" and received["Subject"] == "Hei"
    assert received["X-Test"] == "1"
    assert received.get_body(("plain",)).get_content().strip() == "Hallo Kari"


def test_file_backend_writes_eml(app, tmp_path):
    send(build_message(to="ola@example.no", subject="Test", text="Body"))
    from pathlib import Path

    # The mail folder is shared by the session's tests: take the newest file, not glob's arbitrary last.
    files = sorted(Path(app.config["GALLERY"].mail_dir).glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    assert files
    parsed = message_from_bytes(files[-1].read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Test"
