"""Private modules stay out: ruff's banned-api rule (TID251, pyproject.toml) fails on one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The pinned ruff, installed beside this interpreter.
RUFF = Path(sys.executable).parent / "ruff"


def ruff_check(source: str, *, path: str = "tracker/new_module.py") -> set[str]:
    """The rules ruff, as ``make lint`` runs it, finds broken by ``source`` as file ``path``."""
    done = subprocess.run(
        [RUFF, "check", "--no-cache", "--output-format=concise", "--stdin-filename", path, "-"],
        input=f"from __future__ import annotations\n\n{source}\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert "error" not in done.stderr.lower(), done.stderr
    return {line.split()[1] for line in done.stdout.splitlines() if line.startswith(path)}


@pytest.mark.parametrize(
    "source",
    [
        "from django.db.models.sql.compiler import SQLCompiler\n\nprint(SQLCompiler)",
        "from django.db.models import sql\n\nprint(sql)",
        "from markupsafe._speedups import _escape_inner\n\nprint(_escape_inner)",
        "import psycopg._encodings\n\nprint(psycopg._encodings)",
    ],
)
def test_an_import_of_a_private_module_fails_the_lint(source):
    assert ruff_check(source) == {"TID251"}
    assert ruff_check(source, path="articles/new_module.py") == {"TID251"}
    assert ruff_check(source, path="bench/new_module.py") == {"TID251"}


def test_the_public_apis_pass():
    source = "from django.db.models import Q\nfrom markupsafe import escape\n\nprint(Q, escape)"
    assert ruff_check(source) == set()
