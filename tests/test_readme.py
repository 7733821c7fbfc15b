"""The README's curl walk-through works against the real app, as written."""
import re
import subprocess
import threading
from pathlib import Path

from werkzeug.serving import make_server

from tests.conftest import free_port

README = Path(__file__).resolve().parents[1] / "README.md"


def test_curl_walkthrough(app, tmp_path):
    script = re.search(r"## The API in five calls.*?```sh\n(.*?)```", README.read_text(), re.S).group(1)
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        script = script.replace("BASE=http://127.0.0.1:5000", f"BASE=http://127.0.0.1:{port}")
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True,
                                text=True, timeout=60)
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert '"title":"Kari & Ola - Wedding"' in result.stdout.replace(": ", ":")
    assert '"next_cursor"' in result.stdout
