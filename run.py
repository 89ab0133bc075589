#!/usr/bin/env python3
"""Kaopei's two entry points for a fresh clone (only Python 3.11+ needed):

    python3 run.py demo [--port 8000] [--fresh]   install, build the demo, serve it
    python3 run.py test [pytest args]             install, lint, type-check, run the suite

Everything is installed into ./.venv. ``test`` runs the suite on SQLite and, when a
PostgreSQL server is reachable (``TEST_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/kaopei), on PostgreSQL too. Under ``CI=true`` missing
system components (Chromium, CJK fonts) are installed with apt-get, and PostgreSQL is required.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
IN_CI = os.environ.get("CI", "").lower() == "true"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/kaopei"
SYSTEM_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "fonts-wqy-microhei": None,
    "gettext": "/usr/bin/xgettext",
}


def say(msg: str) -> None:
    print(f"\n==> {msg}", flush=True)


def run(cmd: list[str], env: dict[str, str] | None = None, check: bool = True) -> int:
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
    if check and code != 0:
        sys.exit(code)
    return code


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older Python
        sys.exit("Kaopei needs Python 3.11 or newer.")
    if not PY.exists():
        say("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("Installing Kaopei and its dependencies")
    run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    target = f".[{extras}]" if extras else "."
    run([PY, "-m", "pip", "install", "--quiet", "-e", target])
    stamp.write_text(digest)


def ensure_system_packages() -> None:
    """Under CI, install what the browser and PDF tests need (Debian packages)."""
    missing = []
    for pkg, path in SYSTEM_PACKAGES.items():
        if path is not None:
            if not Path(path).exists():
                missing.append(pkg)
        elif (
            subprocess.call(
                ["dpkg", "-s", pkg], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            != 0
        ):
            missing.append(pkg)
    if not missing:
        return
    if not shutil.which("apt-get") or os.geteuid() != 0:
        print(f"Cannot install {', '.join(missing)} here (needs apt-get as root).")
        return
    say(f"Installing system packages: {', '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def postgres_reachable(url: str) -> bool:
    code = subprocess.call(
        [
            PY,
            "-c",
            "import sys, psycopg, environ;"
            "c = environ.Env.db_url_config(sys.argv[1]);"
            "psycopg.connect(host=c['HOST'] or None, port=c['PORT'] or None, user=c['USER'] or None,"
            " password=c['PASSWORD'] or None, dbname='postgres', connect_timeout=3).close()",
            url,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return code == 0


def cmd_demo(args: list[str]) -> None:
    ensure_venv("")
    os.execv(str(BIN / "kaopei"), [str(BIN / "kaopei"), "demo", *args])


def cmd_test(args: list[str]) -> None:
    ensure_venv("dev")
    if IN_CI:
        ensure_system_packages()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    say("Lint and types")
    run([BIN / "ruff", "check", "."])
    run([BIN / "ruff", "format", "--check", "."])
    run([BIN / "mypy", "kaopei", "config"])
    run(
        [PY, "manage.py", "makemigrations", "--check", "--dry-run"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.test_settings"},
    )
    workers = ["-n", "2"] if "-n" not in args else []
    say("Test suite on SQLite")
    run([PY, "-m", "pytest", *workers, *args], env=env)
    pg = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    if postgres_reachable(pg):
        say(f"Test suite on PostgreSQL ({pg})")
        run([PY, "-m", "pytest", *workers, *args], env={**env, "DATABASE_URL": pg})
    elif IN_CI:
        sys.exit(f"PostgreSQL is required under CI=true but {pg} is not reachable.")
    else:
        say(f"PostgreSQL not reachable at {pg}: its run is skipped (set TEST_DATABASE_URL).")
    say("All checks passed")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test"):
        sys.exit(__doc__)
    {"demo": cmd_demo, "test": cmd_test}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
