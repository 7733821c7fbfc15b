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
    from pathlib import Path

    mail_dir = Path(app.config["GALLERY"].mail_dir)
    before = set(mail_dir.glob("*.eml"))  # other tests' mail (codes) shares the session's folder
    send(build_message(to="ola@example.no", subject="Test", text="Body"))
    files = sorted(set(mail_dir.glob("*.eml")) - before)
    assert len(files) == 1
    parsed = message_from_bytes(files[-1].read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Test"
