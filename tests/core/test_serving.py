"""Serving: gunicorn from its config file, static files from WhiteNoise, media on disk or S3."""

from __future__ import annotations

import gzip
import re
import runpy
import signal
import subprocess
import sys
import time
import urllib.request
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.serving import GUNICORN_CONFIG, wait_until_healthy
from tests.factories import make_event

from .conftest import ROOT, S3_PORT, free_ports, get

YEAR = "max-age=315360000"


def read_config(monkeypatch, **env: str) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONFIG))


def test_gunicorn_reads_workers_threads_timeout_and_bind_from_the_environment(monkeypatch):
    config = read_config(
        monkeypatch,
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="12",
        GUNICORN_BIND="127.0.0.1:8145,127.0.0.1:8146",
    )
    assert (config["workers"], config["threads"], config["timeout"]) == (3, 8, 12)
    assert config["bind"] == ["127.0.0.1:8145", "127.0.0.1:8146"]
    assert config["worker_class"] == "gthread"
    assert config["wsgi_app"] == "config.wsgi:application"


def test_gunicorn_defaults_listen_on_loopback_with_a_timeout_above_the_database_timeouts(
    monkeypatch,
):
    config = read_config(monkeypatch)
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["timeout"] > 5  # DATABASE_CONNECT_TIMEOUT gives up first


def test_gunicorn_config_names_a_malformed_value(monkeypatch):
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number"):
        read_config(monkeypatch, WEB_CONCURRENCY="many")


def linked(html: str, pattern: str) -> str:
    match = re.search(rf'href="(/static/{pattern})"', html)
    assert match, f"no stylesheet matching {pattern}"
    return match.group(1)


def test_site_and_admin_css_are_served_hashed_with_far_future_caching(site_server):
    home = get(site_server.url, "/")
    assert home.status == 200
    site_css = linked(home.text, r"css/site\.[0-9a-f]{12}\.css")
    admin_css = linked(
        get(site_server.url, "/admin/login/").text, r"admin/css/base\.[0-9a-f]{12}\.css"
    )
    for path in (site_css, admin_css):
        reply = get(site_server.url, path)
        assert reply.status == 200, path
        assert reply.header("Content-Type").startswith("text/css")
        assert YEAR in reply.header("Cache-Control")
        assert "immutable" in reply.header("Cache-Control")


def test_static_files_are_served_compressed(site_server):
    site_css = linked(get(site_server.url, "/").text, r"css/site\.[0-9a-f]{12}\.css")
    plain = get(site_server.url, site_css)
    packed = get(site_server.url, site_css, Accept_Encoding="gzip")
    assert packed.header("Content-Encoding") == "gzip"
    assert len(packed.body) < len(plain.body)
    assert gzip.decompress(packed.body) == plain.body


def test_api_docs_load_their_scripts_and_styles_from_the_site(site_server):
    docs = get(site_server.url, "/api/v1/docs/")
    assert docs.status == 200
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', docs.text)
    assert len(assets) >= 3
    for path in assets:
        assert get(site_server.url, path).status == 200, path
    script = re.search(r'src="(/api/v1/docs/\?[^"]+)"', docs.text).group(1)
    start = get(site_server.url, script.replace("&amp;", "&"))
    assert start.status == 200
    assert "SwaggerUIBundle" in start.text


def test_serve_production_starts_one_gunicorn_per_port(built_site, tmp_path):
    env = built_site | {"GUNICORN_THREADS": "1"}
    ports = free_ports(2)
    command = subprocess.Popen(  # noqa: S603 - our interpreter, our arguments
        [
            sys.executable,
            "manage.py",
            "serve_production",
            "--no-collectstatic",
            "--workers=1",
            *(f"--port={port}" for port in ports),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for port in ports:
            wait_until_healthy(f"http://127.0.0.1:{port}", command, timeout=60)
            assert get(f"http://127.0.0.1:{port}", "/").status == 200
    finally:
        command.send_signal(signal.SIGINT)
        output, _ = command.communicate(timeout=30)
    for port in ports:
        assert f"Serving on http://127.0.0.1:{port}" in output
    time.sleep(0.5)
    for port in ports:
        with pytest.raises(OSError):
            get(f"http://127.0.0.1:{port}", "/healthz", timeout=2)


def photo() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (900, 500), (20, 90, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_local_media_are_served_when_no_bucket_is_configured(client, settings):
    event = make_event(image=photo(), image_alt="The hall")
    assert (settings.MEDIA_ROOT / event.image.file.name).exists()
    reply = client.get(f"/media/{event.image.file.name}")
    assert reply.status_code == 200
    assert b"".join(reply.streaming_content).startswith(b"\xff\xd8")  # a JPEG
    assert "max-age=86400" in reply["Cache-Control"]
    assert reply["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in reply["Content-Security-Policy"]
    assert client.get("/media/../config/settings.py").status_code in (400, 404)


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3-compatible server on loopback, with an empty bucket."""
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=S3_PORT, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{S3_PORT}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="media")
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_media(settings, s3_server):
    endpoint, client = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "media",
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                # Unsigned URLs: visitors read objects the app uploaded public-readable.
                "querystring_auth": False,
                "default_acl": "public-read",
                "file_overwrite": False,
            },
        },
    }
    yield client


@pytest.mark.django_db
def test_images_are_stored_and_served_through_object_storage(client, settings, s3_media):
    event = make_event(image=photo(), image_alt="The hall")
    stored = {item["Key"] for item in s3_media.list_objects_v2(Bucket="media")["Contents"]}
    assert event.image.file.name in stored

    html = client.get(event.get_absolute_url()).content.decode()
    srcset = re.search(r'srcset="([^"]+)"', html).group(1)
    first = srcset.split(", ")[0].rsplit(" ", 1)[0]
    assert first.startswith(f"http://127.0.0.1:{S3_PORT}/media/renditions/")
    with urllib.request.urlopen(first, timeout=10) as response:  # noqa: S310 - loopback
        body = response.read()
    assert Image.open(BytesIO(body)).format == "WEBP"
    renditions = {
        item["Key"]
        for item in s3_media.list_objects_v2(Bucket="media", Prefix="renditions/")["Contents"]
    }
    assert len(renditions) >= 2
    # Nothing was written to the app server's disk.
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))


@pytest.mark.django_db
def test_two_uploads_with_one_name_do_not_overwrite_each_other_in_the_bucket(s3_media):
    first = make_event(image=photo(), image_alt="One")
    second = make_event(image=photo(), image_alt="Two")
    assert first.image.file.name != second.image.file.name
