"""Shared set-up for the benchmark scripts: a scratch PostgreSQL database with the schema."""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kaopei_bench"


def setup_django(*, fresh: bool) -> str:
    """Point Django at the benchmark database (recreated when ``fresh``) and migrate."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(url)
    admin = psycopg.connect(
        host=cfg["HOST"] or None,
        port=cfg["PORT"] or None,
        user=cfg["USER"] or None,
        dbname="postgres",
        autocommit=True,
    )
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname=%s", [cfg["NAME"]]).fetchone()
    if fresh and exists:
        admin.execute(f'DROP DATABASE "{cfg["NAME"]}" WITH (FORCE)')
        exists = None
    if not exists:
        admin.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    admin.close()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


@contextmanager
def timed(label: str, out: dict[str, float]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    out[label] = time.perf_counter() - start
    print(f"  {label}: {out[label]:.2f} s", flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
