"""Dashboards under load: Kaopei served by gunicorn on loopback, 20 concurrent users.

On the scoring benchmark's data (``benchmarks/scale_data.py``, 10,000 people at scale 1,
cycle 2026Q1 scored), grouped into branches, with an HR admin and a supervisor of a
50-person team. Three pages are measured in the same run, interleaved: the supervisor's
dashboard (their home page, or ``--supervisor-url``), the HR organisation dashboard
(``dashboards:org``) and a bare authenticated Django page (the password-change form: a
session, a user, a template, no figures). Each of ``--users`` threads sends ``--requests``
requests to each page in turn (a bounded load, no think time); p50 and p95 of each page are
printed with the ratio of each dashboard to the bare page. Target: ratio ≤ 3 and p95 < 300 ms.

    .venv/bin/python benchmarks/bench_dashboards.py --scale 1 [--reuse] [--activities N]
        [--users 20] [--requests 20] [--workers 2] [--threads 10] [--supervisor-url /home/]

The organisation dashboard's figures are cached per cycle and data generation
(``kaopei/dashboards/cache.py``): the run reports the first (uncached) request apart, and
the load figures are the served, steady state. Without Redis each gunicorn worker has its own
local-memory cache, so each worker computes the figures once.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, setup_django, timed  # noqa: E402

CYCLE = "2026Q1"
TEAM = 50
BRANCHES = 10
HR_NO, SUP_NO = "BENCH-HR", "BENCH-SUP"


def prepare(scale: float, reuse: bool, activities: int | None = None) -> None:
    """Generate and score the data (unless ``reuse``), then the branches and the personas."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from kaopei.assessment.models import Scorecard
    from kaopei.assessment.services.scoring import cycle_score
    from kaopei.core.roles import Role
    from kaopei.org.models import Employee, JobLevel, OrgUnit

    times: dict[str, float] = {}
    if not reuse:
        from benchmarks.scale_data import generate
        from kaopei.core.bulk import allow_fast_switching

        allow_fast_switching()
        with timed("generate data", times):
            print(" ", generate(scale, activities=activities))
        with timed("score 2026Q1", times):
            cycle_score(code=CYCLE)
    hq = OrgUnit.objects.get(code="HQ")
    if not OrgUnit.objects.filter(kind=OrgUnit.Kind.BRANCH).exists():
        branches = [
            OrgUnit.objects.create(code=f"BR{i:02d}", name=f"分行{i}", parent=hq, kind="branch")
            for i in range(BRANCHES)
        ]
        teams = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM).order_by("pk"))
        for i, team in enumerate(teams):
            team.parent = branches[i % len(branches)]
        OrgUnit.objects.bulk_update(teams, ["parent"])
    User = get_user_model()

    def login(no: str, role: Role, unit: OrgUnit) -> Employee:
        group, _ = Group.objects.get_or_create(name=role.value)
        user, _ = User.objects.get_or_create(username=no)
        user.groups.add(group)
        level = JobLevel.objects.order_by("-rank").first()
        person, _ = Employee.objects.get_or_create(
            employee_no=no, defaults={"name": no, "org_unit": unit, "level": level, "user": user}
        )
        return person

    login(HR_NO, Role.HR_ADMIN, hq)
    team_unit = OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM).order_by("pk").first() or hq
    sup = login(SUP_NO, Role.SUPERVISOR, team_unit)
    team = list(
        Employee.objects.exclude(pk=sup.pk)
        .exclude(employee_no=HR_NO)
        .order_by("pk")
        .values_list("pk", flat=True)[:TEAM]
    )
    Employee.objects.filter(pk__in=team).update(supervisor=sup)
    print(
        f"  {Employee.objects.count():,} people, "
        f"{Scorecard.objects.filter(cycle__code=CYCLE).count():,} scorecards, "
        f"{OrgUnit.objects.filter(kind=OrgUnit.Kind.BRANCH).count()} branches, "
        f"a team of {len(team)}",
        flush=True,
    )


def session_cookie(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url() -> str:
    """The URL of the database this process uses (the test database in the smoke test)."""
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def serve(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    from django.conf import settings

    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here must hold there
        "DEBUG": "false",
    }
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def fetch(base: str, path: str, cookie: str) -> float:
    request = urllib.request.Request(
        base + path, headers={"Cookie": cookie, "Accept-Language": "zh-hans"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
    return time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * (len(ordered) - 1))))]


def load(
    base: str, pages: dict[str, tuple[str, str]], users: int, requests: int
) -> dict[str, list[float]]:
    """``users`` threads, each sending ``requests`` rounds over every page (rotated so that
    the pages interleave)."""
    names = list(pages)

    def user(i: int) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {n: [] for n in names}
        for r in range(requests):
            for k in range(len(names)):
                name = names[(i + r + k) % len(names)]
                path, cookie = pages[name]
                out[name].append(fetch(base, path, cookie))
        return out

    merged: dict[str, list[float]] = {n: [] for n in names}
    with ThreadPoolExecutor(max_workers=users) as pool:
        for result in pool.map(user, range(users)):
            for n, values in result.items():
                merged[n].extend(values)
    return merged


def run(
    *, users: int, requests: int, workers: int, threads: int, supervisor_url: str
) -> dict[str, dict[str, float]]:
    from django.urls import reverse

    hr, sup = session_cookie(HR_NO), session_cookie(SUP_NO)
    pages = {
        "bare": (reverse("password_change"), hr),
        "supervisor": (supervisor_url, sup),
        "org": (reverse("dashboards:org") + f"?cycle={CYCLE}", hr),
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = serve(port, workers, threads)
    try:
        first = {name: fetch(base, path, cookie) for name, (path, cookie) in pages.items()}
        print(
            "  first request: " + ", ".join(f"{n} {v * 1000:.0f} ms" for n, v in first.items()),
            flush=True,
        )
        load(base, pages, min(users, workers * threads), 2)  # every worker warm
        start = time.perf_counter()
        measured = load(base, pages, users, requests)
        elapsed = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    total = sum(len(v) for v in measured.values())
    print(f"  {total} requests by {users} users in {elapsed:.1f} s ({total / elapsed:.0f}/s)")
    figures = {
        name: {
            "p50": statistics.median(values) * 1000,
            "p95": percentile(values, 0.95) * 1000,
            "n": len(values),
        }
        for name, values in measured.items()
    }
    bare = figures["bare"]
    for name in ("supervisor", "org"):
        figures[name]["ratio50"] = figures[name]["p50"] / bare["p50"]
        figures[name]["ratio95"] = figures[name]["p95"] / bare["p95"]
    return figures


def report(figures: dict[str, dict[str, float]], users: int) -> bool:
    ok = True
    for name, f in figures.items():
        line = f"  {name:10} n={f['n']:.0f} p50={f['p50']:.0f} ms p95={f['p95']:.0f} ms"
        if name != "bare":
            good = f["ratio95"] <= 3 and f["p95"] < 300
            ok = ok and good
            line += (
                f" ratio p50={f['ratio50']:.2f} p95={f['ratio95']:.2f} {'ok' if good else 'MISSED'}"
            )
        print(line)
    print(
        f"RESULT users={users} bare_p95={figures['bare']['p95']:.0f}ms "
        f"supervisor_p95={figures['supervisor']['p95']:.0f}ms "
        f"org_p95={figures['org']['p95']:.0f}ms "
        f"supervisor_ratio={figures['supervisor']['ratio95']:.2f} "
        f"org_ratio={figures['org']['ratio95']:.2f} target={'met' if ok else 'missed'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10,000 people")
    parser.add_argument("--reuse", action="store_true", help="reuse the data of a previous run")
    parser.add_argument(
        "--activities", type=int, default=None, help="activities to generate (default: scaled)"
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--requests", type=int, default=20, help="requests per user and page")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=10, help="threads per gunicorn worker")
    parser.add_argument("--supervisor-url", default="/home/", help="the supervisor's dashboard")
    args = parser.parse_args()
    setup_django(fresh=not args.reuse)
    prepare(args.scale, args.reuse, args.activities)
    figures = run(
        users=args.users,
        requests=args.requests,
        workers=args.workers,
        threads=args.threads,
        supervisor_url=args.supervisor_url,
    )
    report(figures, args.users)


if __name__ == "__main__":
    main()
