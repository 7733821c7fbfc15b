"""The compose file and the image, checked without Docker (none on the development machines): the YAML
parses, every service the platform needs is there and wired the way the app expects."""
import re
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parent.parent.parent / "deploy"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_has_every_service_of_the_platform():
    services = _compose()["services"]
    assert {"web", "web-zip", "worker", "scheduler", "postgres", "redis", "minio", "proxy", "migrate",
            "bucket"} <= set(services)
    assert services["web"]["command"] == ["gallery", "serve"]
    assert services["worker"]["command"][:2] == ["gallery", "worker"] and "--no-schedule" in services["worker"]["command"]
    assert services["scheduler"]["command"] == ["gallery", "scheduler"]
    assert services["migrate"]["command"] == ["gallery", "migrate"]
    for name in ("web", "web-zip", "worker", "scheduler", "migrate"):
        environment = services[name]["environment"]
        assert environment["GALLERY_REDIS_URL"].startswith("redis://redis:")
        assert environment["GALLERY_DATABASE_URL"].startswith("postgresql://") and "@postgres:5432/" in environment["GALLERY_DATABASE_URL"]
        assert environment["GALLERY_STORAGE_BACKEND"] == "s3" and environment["GALLERY_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert environment["GALLERY_TRUSTED_PROXIES"] == "1"
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    proxy = services["proxy"]
    assert proxy["environment"]["GALLERY_UPSTREAM"] == "web:8000"
    assert proxy["environment"]["GALLERY_ZIP_UPSTREAM"] == "web-zip:8000"
    assert services["web-zip"]["command"][:2] == ["gallery", "serve"]
    assert any(volume.startswith("./nginx/gallery.conf.template:/etc/nginx/templates/") for volume in proxy["volumes"])
    assert (DEPLOY / "nginx" / "gallery.conf.template").is_file()


def test_every_template_name_the_site_uses_is_set_by_compose():
    site = (DEPLOY / "nginx" / "gallery.conf.template").read_text()
    names = set(re.findall(r"\$\{([A-Z_]+)\}", site))
    assert names == {"NGINX_LISTEN", "GALLERY_UPSTREAM", "GALLERY_ZIP_UPSTREAM", "GALLERY_MAX_BODY",
                     "GALLERY_STORAGE_DIR"}
    assert names <= set(_compose()["services"]["proxy"]["environment"])


def test_the_image_is_multi_stage_and_runs_as_a_user():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)", dockerfile, re.MULTILINE)
    assert stages == ["build", "runtime"]
    runtime = dockerfile.split("AS runtime", 1)[1]
    assert re.search(r"^USER gallery", runtime, re.MULTILINE) and "gcc" not in runtime
    assert re.search(r'^CMD \["gallery", "serve"\]', runtime, re.MULTILINE)
    assert "COPY --from=build /opt/gallery /opt/gallery" in runtime
