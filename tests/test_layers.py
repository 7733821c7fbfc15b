"""The packages stay in their layers (pyproject.toml's import contract): a new import cycle fails the build."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_the_import_contract_is_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The contract really bites: a domain importing a face (even inside a function) is reported."""
    probe = ROOT / "gallery" / "engagement" / "_layer_probe.py"
    probe.write_text("def f():\n    from gallery.retention import sweep  # noqa: F401\n")
    try:
        result = lint_imports()
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert "gallery.engagement._layer_probe" in result.stdout
