"""Production settings: DJANGO_DEBUG=0 refuses to start unconfigured, passes `check --deploy`
without a word, and its responses carry the security headers and secure cookies.

The test run itself uses the development settings, so each check here loads the settings
afresh with a production environment: in a subprocess, or by running the settings module again.
"""

from __future__ import annotations

import json
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "tracker" / "settings.py"
REAL_KEY = secrets.token_urlsafe(50)


def production_env(**values: str) -> dict[str, str]:
    """This environment without any DJANGO_* setting, then DEBUG off and ``values``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="0", PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="tracker.settings")
    env.update(values)
    return env


def test_check_deploy_reports_nothing():
    env = production_env(DJANGO_SECRET_KEY=REAL_KEY, DJANGO_ALLOWED_HOSTS="aid.example.org")
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == "System check identified no issues (0 silenced).\n"


@pytest.mark.parametrize(
    ("key", "hosts", "message"),
    [
        (None, "aid.example.org", "Set DJANGO_SECRET_KEY"),
        ("", "aid.example.org", "Set DJANGO_SECRET_KEY"),
        ("dev-only-insecure-key-never-used-in-production", "aid.example.org", "DJANGO_SECRET_KEY"),
        ("too-short-" + "x" * 30, "aid.example.org", "at least 50 characters"),
        ("ab" * 30, "aid.example.org", "DJANGO_SECRET_KEY"),
        ("django-insecure-" + REAL_KEY, "aid.example.org", "DJANGO_SECRET_KEY"),
        (REAL_KEY, None, "Set DJANGO_ALLOWED_HOSTS"),
        (REAL_KEY, " , ", "Set DJANGO_ALLOWED_HOSTS"),
        (REAL_KEY, "*", "not '*'"),
        (REAL_KEY, "aid.example.org,*", "not '*'"),
    ],
    ids=[
        "no key",
        "empty key",
        "the development key",
        "short key",
        "two distinct characters",
        "django-insecure key",
        "no hosts",
        "blank hosts",
        "any host",
        "any host among others",
    ],
)
def test_production_refuses_to_start_without_a_real_key_and_hosts(monkeypatch, key, hosts, message):
    for name, value in (("DJANGO_SECRET_KEY", key), ("DJANGO_ALLOWED_HOSTS", hosts)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    with pytest.raises(ImproperlyConfigured, match=message):
        runpy.run_path(str(SETTINGS))


def test_production_starts_with_a_real_key_and_hosts(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.setenv("DJANGO_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "aid.example.org, .example.net")
    production = runpy.run_path(str(SETTINGS))
    assert production["DEBUG"] is False
    assert production["ALLOWED_HOSTS"] == ["aid.example.org", ".example.net"]
    assert production["SECURE_SSL_REDIRECT"] is True


# Runs with the production settings in a fresh process: an in-memory database, a superuser,
# then the responses a browser would get.
PROBE = """
import json

import django

django.setup()

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

call_command("migrate", verbosity=0)
get_user_model().objects.create_superuser("root", "root@example.org", "a-long-root-password")
client = Client()
responses = {
    "http": client.get("/pledges/"),
    "http_health": client.get("/healthz"),
    "https": client.get("/pledges/", secure=True),
    "https_login": client.post(
        "/admin/login/", {"username": "root", "password": "a-long-root-password"}, secure=True
    ),
}
print(json.dumps({
    name: {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {
            cookie.key: {"secure": bool(cookie["secure"]), "httponly": bool(cookie["httponly"])}
            for cookie in response.cookies.values()
        },
    }
    for name, response in responses.items()
}))
"""


@pytest.fixture(scope="module")
def production_responses() -> dict:
    env = production_env(
        DJANGO_SECRET_KEY=REAL_KEY,
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL="sqlite://:memory:",
        # The production settings, with static files linked by their plain names: no
        # `collectstatic` run needed.
        DJANGO_SETTINGS_MODULE="tests.faults_settings",
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


class TestProductionResponses:
    def test_plain_http_is_redirected_to_https_but_the_health_check(self, production_responses):
        assert production_responses["http"]["status"] == 301
        assert production_responses["http"]["headers"]["Location"] == "https://testserver/pledges/"
        assert production_responses["http_health"]["status"] == 200

    def test_pages_carry_the_security_headers(self, production_responses):
        page = production_responses["https"]
        assert page["status"] == 200
        headers = page["headers"]
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff"

    def test_the_content_security_policy_allows_no_inline_script(self, production_responses):
        policy = production_responses["https"]["headers"]["Content-Security-Policy"]
        directives = dict(
            [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"] == "'self'"
        assert directives["default-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy

    def test_cookies_are_secure(self, production_responses):
        assert production_responses["https"]["cookies"]["csrftoken"]["secure"] is True
        login = production_responses["https_login"]
        assert login["status"] == 302
        assert login["cookies"]["sessionid"] == {"secure": True, "httponly": True}


# --- DJANGO_DEBUG: off unless set --------------------------------------------------------


def test_debug_is_off_when_the_variable_is_unset(monkeypatch):
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    monkeypatch.setenv("DJANGO_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "aid.example.org")
    assert runpy.run_path(str(SETTINGS))["DEBUG"] is False


@pytest.mark.parametrize("value", ["1", "true", "on"])
def test_debug_is_on_when_asked(monkeypatch, value):
    monkeypatch.setenv("DJANGO_DEBUG", value)
    assert runpy.run_path(str(SETTINGS))["DEBUG"] is True


def test_a_command_without_the_environment_says_what_to_set():
    env = production_env()
    del env["DJANGO_DEBUG"]
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("manage.py: Set DJANGO_SECRET_KEY")
    assert "For development on this machine, set DJANGO_DEBUG=1 instead." in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_makemigrations_runs_without_the_environment():
    env = production_env()
    del env["DJANGO_DEBUG"]
    done = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "No changes detected" in done.stdout


def make_sees(env: dict[str, str]) -> str:
    """The DJANGO_DEBUG that the Makefile's recipes run with."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", "Makefile", "-f", "-", "debug-value"],
        cwd=ROOT,
        env=env,
        input='debug-value:\n\t@echo "$$DJANGO_DEBUG"\n',
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_make_runs_in_development_unless_told_otherwise():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"}
    assert make_sees(env) == "1"
    assert make_sees({**env, "DJANGO_DEBUG": "0"}) == "0"


def test_the_tests_run_in_development():
    """The test settings set it in the environment, for the commands the tests start too."""
    assert os.environ["DJANGO_DEBUG"] == "1"
