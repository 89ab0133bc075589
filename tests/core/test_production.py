"""Production start-up, transport security and the Content-Security-Policy (issue 8,
finding 11). The start-up tests run the documented commands (docs/deploy.md) in
subprocesses with production settings, on a fresh SQLite database in a temporary folder."""

from __future__ import annotations

import os
import re
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import Personas

ROOT = Path(__file__).resolve().parents[2]

WSGI_GET = """
import io, sys
from config.wsgi import application
def get(path, scheme):
    out = {}
    def start_response(status, headers, exc_info=None):
        out["status"], out["headers"] = status, dict(headers)
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "kaopei.example", "SERVER_PORT": "443", "HTTP_HOST": "kaopei.example",
        "wsgi.url_scheme": scheme, "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    body = b"".join(application(environ, start_response))
    return out["status"], out["headers"], body
status, headers, body = get("/accounts/login/", "https")
print("LOGIN", status)
print("CSP", headers.get("Content-Security-Policy"))
print("HSTS", headers.get("Strict-Transport-Security"))
css = [m for m in body.decode().split('"') if m.startswith("/static/core/kaopei.")]
print("CSS", css[0] if css else None)
print("STATIC", get(css[0], "https")[0] if css else None)
status, headers, body = get("/accounts/login/", "http")
print("PLAIN", status, headers.get("Location"))
"""


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))}
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        KAOPEI_PRODUCTION="true",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="kaopei.example",
        KAOPEI_DATA_DIR=str(tmp_path),
        REDIS_URL="",
        **extra,
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_before_static_files_are_collected(tmp_path: Path):
    result = run(["-c", "import config.wsgi"], production_env(tmp_path))
    assert result.returncode != 0
    assert "collectstatic" in result.stderr


def test_after_the_documented_steps_production_serves_the_login_page(tmp_path: Path):
    env = production_env(tmp_path)
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        done = run(["manage.py", *step], env)
        assert done.returncode == 0, done.stdout + done.stderr
    result = run(["-c", WSGI_GET], env)
    assert result.returncode == 0, result.stderr
    out = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert out["LOGIN"] == "200 OK"
    assert "script-src 'self'" in out["CSP"] and "frame-ancestors 'none'" in out["CSP"]
    assert out["HSTS"] == "max-age=31536000; includeSubDomains; preload"
    assert re.match(r"/static/core/kaopei\.[0-9a-f]{12}\.css", out["CSS"])  # hashed copy
    assert out["STATIC"] == "200 OK"
    assert out["PLAIN"] == "301 Moved Permanently https://kaopei.example/accounts/login/"


def test_behind_a_tls_proxy_the_redirect_can_be_left_to_it(tmp_path: Path):
    env = production_env(
        tmp_path, SECURE_SSL_REDIRECT="false", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)"
    )
    result = run(["-c", code], env)
    assert result.stdout.split() == ["False", "('HTTP_X_FORWARDED_PROTO',", "'https')", "True"]


def test_pages_carry_a_content_security_policy_without_inline_script(personas: Personas):
    for client, path in [
        (Client(), "/accounts/login/"),
        (personas.client(personas.hr), "/home/"),
        (personas.client(personas.exec), "/home/"),
        (Client(), "/admin/login/"),
        (personas.client(personas.hr), "/api/v1/docs"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'", path
        assert policy["frame-ancestors"] == "'none'", path


TEMPLATES = sorted((ROOT / "kaopei").glob("*/templates/**/*.html"))


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_event_handlers(template: Path):
    text = template.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag, f"inline script: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", text), "on*= event handler"
    assert "hx-on" not in text, "hx-on evaluates code"
    assert "javascript:" not in text.lower(), "javascript: URL"
    assert "<style" not in text, "style element"
