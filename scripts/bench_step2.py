#!/usr/bin/env python3
"""Benchmark of step 2 (penimbangan) through the HTTP API. Not a test: it prints figures.

    .venv/bin/python scripts/bench_step2.py --kader 50

What it does, on 127.0.0.1 only:

1. drops and recreates a PostgreSQL database (``posyandu_bench``), migrates it and
   generates an area with ``manage.py generate_area`` (5 Puskesmas x 2 posyandu x 1000
   people, about 900 of them balita, 3 months of history, derived values computed);
2. opens today's service day in every posyandu, creates N kader users with API tokens
   (spread over the posyandu) and gives each kader its own share of the balita of its
   posyandu, with a plausible weight and length for each child;
3. starts gunicorn (``-w 4``, DEBUG=0) on a free port;
4. runs N concurrent clients (threads, http.client): each registers its next child
   (``POST /api/v1/service-days/{uuid}/visits/`` with a fresh client_id) and PUTs the
   measurement (``PUT /api/v1/visits/{uuid}/measurement/``), with no pause (or
   ``--think`` seconds on average between two children), until its children or the
   time limit run out;
5. prints requests/s and the p50/p95/p99 latency of the PUT and of the POST, the
   errors and the CPU used per request (gunicorn, PostgreSQL, the clients); then the page weight of the step-2 form (the visit page as a logged-in kader
   gets it, with the CSS and JS it links: bytes uncompressed and gzip -6);
6. stops gunicorn and drops the database.

``--prepare`` is internal: the same script run inside Django (step 2 above); it prints
the plan as JSON. The clients use the standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
PASSWORD = "bench-rahasia-123"
KABUPATEN = "35.09"


# --------------------------------------------------------------------------- set-up


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def admin_dsn(database_url: str) -> tuple[str, str]:
    """(DSN of the maintenance database, name of the bench database)."""
    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name or parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("the bench database must be on 127.0.0.1 (e.g. postgres://postgres@127.0.0.1:5432/posyandu_bench)")
    return urllib.parse.urlunsplit(parts._replace(path="/postgres")), name


def recreate_database(database_url: str, *, drop_only: bool = False) -> None:
    import psycopg2  # the project's driver (not needed by the clients)

    dsn, name = admin_dsn(database_url)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the bench database name must contain 'bench'")
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(PY), "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def server_env(args, static_root: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "posyandu.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    })
    env.pop("CELERY_BROKER_URL", None)  # tasks in-process; step 2 queues none
    return env


def prepare(args) -> None:
    """Inside Django: open today's days, make the kader and their work lists."""
    import django

    django.setup()
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from ilp.growth.age import age_in_months
    from ilp.models import Person, ServiceDay, Visit
    from ilp.services.day import visit_register
    from posyandu.demo.generator import median_length, median_weight
    from posyandu.models import Membership, Posyandu, Role, User

    rng = random.Random(args.seed)
    today = timezone.localdate()
    posyandu = list(Posyandu.objects.filter(desa__kecamatan__kabupaten__kode=KABUPATEN).order_by("pk"))
    days = {}
    for p in posyandu:
        day, _ = ServiceDay.objects.update_or_create(
            posyandu=p, date=today,
            defaults={"status": ServiceDay.Status.OPEN, "opened_at": timezone.now()},
        )
        days[p.pk] = day

    kader = []
    for i in range(args.kader):
        p = posyandu[i % len(posyandu)]
        user = User.objects.create_user(f"bench.kader{i:03d}", password=PASSWORD, first_name="Bench")
        Membership.objects.create(user=user, role=Role.KADER, posyandu=p)
        kader.append({"username": user.username, "token": Token.objects.create(user=user).key,
                      "posyandu": p.pk, "day": str(days[p.pk].uuid), "children": []})

    earliest = today - timedelta(days=59 * 31)
    balita = (
        Person.objects.filter(posyandu__in=posyandu, merged_into__isnull=True,
                              birth_date__gt=earliest, birth_date__lte=today - timedelta(days=30))
        .filter(Q(moved_on__isnull=True) | Q(moved_on__gt=today))
        .filter(Q(died_on__isnull=True) | Q(died_on__gt=today))
        .exclude(visits__date=today)
        .order_by("posyandu_id", "pk")
    )
    by_posyandu: dict[int, list] = {}
    for person in balita:
        by_posyandu.setdefault(person.posyandu_id, []).append(person)

    # One child (with history) is kept back for the page-weight check.
    page_person = next(
        (c for c in by_posyandu.get(posyandu[0].pk, []) if c.measurements.exists()), None
    )
    def plausible(child) -> dict:
        """A weight and length near the WHO median for the age, as typed ("10,5")."""
        months = age_in_months(child.birth_date, today)
        weight = median_weight(child.sex, months) * rng.uniform(0.92, 1.08)
        length = median_length(child.sex, months) * rng.uniform(0.97, 1.03)
        return {
            "person": str(child.uuid),
            "weight_kg": f"{weight:.1f}".replace(".", ","),
            "length_cm": f"{length:.1f}".replace(".", ","),
            "length_method": "lying" if (today - child.birth_date).days < 731 else "standing",
        }

    mine = {p.pk: [k for k in kader if k["posyandu"] == p.pk] for p in posyandu}
    for p in posyandu:
        children = [c for c in by_posyandu.get(p.pk, []) if c != page_person]
        for n, child in enumerate(children):
            if not mine[p.pk]:
                break
            mine[p.pk][n % len(mine[p.pk])]["children"].append(plausible(child))

    page_visit = page_child = None
    if page_person is not None:
        owner = User.objects.get(username=kader[0]["username"])
        visit, _ = visit_register(user=owner, day=days[posyandu[0].pk], person=page_person,
                                  client_id=uuid.uuid4())
        page_visit, page_child = str(visit.uuid), plausible(page_person)
    print(json.dumps({
        "kader": kader, "page_visit": page_visit, "page_child": page_child,
        "posyandu": len(posyandu),
        "people": Person.objects.filter(posyandu__in=posyandu).count(),
        "visits_before": Visit.objects.count(),
    }))


# --------------------------------------------------------------------------- HTTP


class Http:
    """One request per connection (gunicorn's sync workers close it anyway)."""

    def __init__(self, port: int, timeout: float = 60):
        self.port, self.timeout = port, timeout

    def request(self, method: str, path: str, body=None, headers=None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            data = None
            headers = dict(headers or {})
            if body is not None:
                if isinstance(body, dict | list):
                    data = json.dumps(body).encode()
                    headers.setdefault("Content-Type", "application/json")
                else:
                    data = body.encode() if isinstance(body, str) else body
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return response.status, response.read(), response
        finally:
            conn.close()


def wait_for_server(port: int, proc: subprocess.Popen, log_path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise SystemExit(f"gunicorn stopped during start-up:\n{tail}")
        try:
            status, _, _ = Http(port, timeout=5).request("GET", "/masuk/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within a minute")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of the values (in seconds) -> ms."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1] * 1000


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {"register": [], "measure": []}
        self.status: dict[str, dict[int, int]] = {"register": {}, "measure": {}}
        self.failures: list[str] = []

    def add(self, kind: str, seconds: float, status: int, body: bytes) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.status[kind][status] = self.status[kind].get(status, 0) + 1
            if status >= 400 and len(self.failures) < 5:
                self.failures.append(f"{kind} {status}: {body[:300]!r}")


def kader_client(http: Http, kader: dict, results: Results, stop_at: float, limit: int,
                 think: float, rng: random.Random) -> None:
    auth = {"Authorization": f"Token {kader['token']}"}
    if think:  # kader do not start in lockstep
        time.sleep(rng.uniform(0, think))
    for n, child in enumerate(kader["children"][:limit]):
        if n and think:  # the next child steps on the scale: 0.5-1.5 x think seconds
            time.sleep(think * rng.uniform(0.5, 1.5))
        if time.monotonic() >= stop_at:
            return
        body = {"person": child["person"], "client_id": str(uuid.uuid4())}
        t0 = time.perf_counter()
        try:
            status, raw, _ = http.request("POST", f"/api/v1/service-days/{kader['day']}/visits/",
                                          body, auth)
        except OSError as exc:
            status, raw = 599, str(exc).encode()
        results.add("register", time.perf_counter() - t0, status, raw)
        if status not in (200, 201):
            continue
        visit = json.loads(raw)["uuid"]
        measurement = {k: child[k] for k in ("weight_kg", "length_cm", "length_method")}
        measurement["client_id"] = str(uuid.uuid4())
        t0 = time.perf_counter()
        try:
            status, raw, _ = http.request("PUT", f"/api/v1/visits/{visit}/measurement/",
                                          measurement, auth)
        except OSError as exc:
            status, raw = 599, str(exc).encode()
        if status == 409:  # unusual value: the kader re-measured and confirms
            measurement["confirm_unusual"] = True
            status, raw, _ = http.request("PUT", f"/api/v1/visits/{visit}/measurement/",
                                          measurement, auth)
        results.add("measure", time.perf_counter() - t0, status, raw)


def warm_up(http: Http, plan: dict, workers: int) -> None:
    """Load every worker (imports, reference tables, WHO tables) before timing: a few
    children (taken off the kader's lists) are weighed first, ``workers`` at a time."""
    batch = []
    for kader in plan["kader"]:
        if len(batch) >= workers * 3:
            break
        if len(kader["children"]) > 1:
            batch.append({**kader, "children": [kader["children"].pop()]})
    ignored = Results()
    for start in range(0, len(batch), workers):
        threads = [threading.Thread(target=kader_client, args=(
            http, k, ignored, time.monotonic() + 60, 1, 0, random.Random(0)))
            for k in batch[start:start + workers]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def page_weight(http: Http, plan: dict) -> dict | None:
    """The step-2 form page as a logged-in kader gets it, and the CSS/JS it links."""
    if not plan["page_visit"]:
        return None
    status, body, response = http.request("GET", "/masuk/")
    cookies = _cookies(response)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"username": plan["kader"][0]["username"], "password": PASSWORD,
                                   "csrfmiddlewaretoken": token})
    status, body, response = http.request(
        "POST", "/masuk/", form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(cookies),
         "Referer": f"http://{HOST}:{http.port}/masuk/"},
    )
    cookies |= _cookies(response)
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"login for the page-weight check failed ({status})")
    path = f"/kunjungan/{plan['page_visit']}/"
    status, html, _ = http.request("GET", path, headers={"Cookie": _cookie_header(cookies)})
    if status != 200 or b'name="weight_kg"' not in html:
        raise SystemExit(f"the step-2 form page did not load ({status})")
    parts = [("html", path, html)]
    links = re.findall(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    links += re.findall(rb'<script[^>]+src="([^"]+)"', html)
    for link in links:
        url = link.decode()
        status, asset, _ = http.request("GET", url)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        parts.append(("css" if url.endswith(".css") else "js", url, asset))
    rows = [{"kind": kind, "url": url, "bytes": len(data),
             "gzip": len(gzip.compress(data, compresslevel=6))} for kind, url, data in parts]
    result = {"rows": rows, "bytes": sum(r["bytes"] for r in rows),
              "gzip": sum(r["gzip"] for r in rows)}
    # The same page after saving (step 3: results and the KMS chart as inline SVG).
    child = {k: plan["page_child"][k] for k in ("weight_kg", "length_cm", "length_method")}
    auth = {"Authorization": f"Token {plan['kader'][0]['token']}"}
    status, _, _ = http.request("PUT", f"/api/v1/visits/{plan['page_visit']}/measurement/",
                                child | {"confirm_unusual": True}, auth)
    status, after, _ = http.request("GET", path, headers={"Cookie": _cookie_header(cookies)})
    if status == 200:
        result["after"] = {"bytes": len(after), "gzip": len(gzip.compress(after, compresslevel=6)),
                           "svg": b"<svg" in after}
    return result


def _cookies(response) -> dict:
    out = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        out[name.strip()] = rest.split(";", 1)[0]
    return out


def _cookie_header(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


class CpuMeter:
    """CPU seconds used during the run: the whole machine (/proc/stat), the gunicorn
    workers, the PostgreSQL processes and this client process (Linux only)."""

    def __init__(self, master_pid: int):
        self.master = master_pid
        self.t0 = time.perf_counter()
        self.machine0 = self._machine()
        self.procs0 = self._procs()
        self.client0 = time.process_time()

    @staticmethod
    def _machine() -> tuple[float, float]:
        try:
            with open("/proc/stat") as f:
                values = [int(x) for x in f.readline().split()[1:]]
        except OSError:
            return (0.0, 0.0)
        idle = values[3] + (values[4] if len(values) > 4 else 0)
        tick = os.sysconf("SC_CLK_TCK")
        return (sum(values) - idle) / tick, sum(values) / tick

    def _procs(self) -> dict[int, tuple[str, float]]:
        """pid -> (group, cpu seconds) for the gunicorn workers and postgres."""
        out = {}
        tick = os.sysconf("SC_CLK_TCK")
        for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            ppid, cpu = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
            if ppid == self.master or int(entry) == self.master:
                out[int(entry)] = ("gunicorn", cpu)
            elif comm.startswith("postgres"):
                out[int(entry)] = ("postgres", cpu)
        return out

    def stop(self) -> dict:
        wall = time.perf_counter() - self.t0
        busy1, total1 = self._machine()
        busy0, total0 = self.machine0
        used = {"gunicorn": 0.0, "postgres": 0.0}
        for pid, (group, cpu) in self._procs().items():
            used[group] += cpu - self.procs0.get(pid, (group, 0.0))[1]
        used["client"] = time.process_time() - self.client0
        used["busy_pct"] = 100 * (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0
        # CPU that went to neither the server, the database nor the clients (a shared machine)
        others = (busy1 - busy0) - used["gunicorn"] - used["postgres"] - used["client"]
        used["other_pct"] = max(0.0, 100 * others / (total1 - total0)) if total1 > total0 else 0
        used["wall"] = wall
        return used


def wait_idle(limit: float, busy_below: float = 15.0) -> None:
    """On a shared machine: wait (at most ``limit`` s) until the CPU is quiet."""
    deadline = time.monotonic() + limit
    while True:
        busy0, total0 = CpuMeter._machine()
        time.sleep(3)
        busy1, total1 = CpuMeter._machine()
        busy = 100 * (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0
        if busy < busy_below or time.monotonic() > deadline:
            log(f"CPU {busy:.0f} % busy before the timed run")
            return


def _loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


# --------------------------------------------------------------------------- main


def run(args) -> int:
    static_root = tempfile.mkdtemp(prefix="posyandu-bench-static-")
    env = server_env(args, static_root)
    t0 = time.monotonic()
    log(f"recreating database {admin_dsn(args.database_url)[1]}")
    recreate_database(args.database_url)
    proc = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        log(f"generating the area: {args.puskesmas} Puskesmas x {args.posyandu} posyandu x "
            f"{args.people} people, {args.months} months")
        manage(env, "generate_area", "--kabupaten", KABUPATEN, "--puskesmas", str(args.puskesmas),
               "--posyandu-per-puskesmas", str(args.posyandu), "--people", str(args.people),
               "--months", str(args.months), "--seed", str(args.seed))
        out = subprocess.run(
            [str(PY), str(Path(__file__).resolve()), "--prepare", "--kader", str(args.kader),
             "--seed", str(args.seed)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout
        plan = json.loads(out.strip().splitlines()[-1])
        children = sum(len(k["children"]) for k in plan["kader"])
        log(f"set-up done in {time.monotonic() - t0:.0f} s: {plan['posyandu']} posyandu, "
            f"{plan['people']} people, {args.kader} kader, {children} balita to weigh")

        port = free_port()
        log_path = Path(static_root) / "gunicorn.log"
        server_log = open(log_path, "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [str(GUNICORN), "posyandu.wsgi:application", "-w", str(args.workers),
             "--bind", f"{HOST}:{port}", "--access-logfile", "-" if args.access_log else "/dev/null",
             "--timeout", "120"],
            cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT,
        )
        wait_for_server(port, proc, log_path)
        http = Http(port)
        warm_up(http, plan, args.workers)
        if args.wait_idle:
            wait_idle(args.wait_idle)

        results = Results()
        stop_at = time.monotonic() + args.duration
        threads = [
            threading.Thread(target=kader_client, daemon=True, args=(
                http, k, results, stop_at, args.per_kader, args.think, random.Random(i)))
            for i, k in enumerate(plan["kader"])
        ]
        log(f"{len(threads)} kader weighing on gunicorn -w {args.workers} (port {port}); "
            f"load average before: {_loadavg()}")
        cpu = CpuMeter(proc.pid)
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        usage = cpu.stop()
        weight = page_weight(http, plan)
        report(args, plan, results, wall, weight, usage)
        errors = sum(n for kind in results.status.values() for s, n in kind.items() if s >= 400)
        return 1 if errors else 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(static_root, ignore_errors=True)  # collected static files, server log
        if args.keep_db:
            log(f"database kept: {args.database_url}")
        else:
            recreate_database(args.database_url, drop_only=True)
            log("database dropped")


def report(args, plan, results: Results, wall: float, weight: dict | None, usage: dict) -> None:
    put, post = results.latency["measure"], results.latency["register"]
    total = len(put) + len(post)
    errors = {kind: sum(n for s, n in st.items() if s >= 400) for kind, st in results.status.items()}
    pace = f"pause {args.think:g} s between children" if args.think else "no pause"
    print(f"\nStep 2 through the API: {args.kader} concurrent kader ({pace}), gunicorn "
          f"-w {args.workers}, {os.cpu_count()} CPU, {plan['people']} people in "
          f"{plan['posyandu']} posyandu")
    print(f"  {total} requests in {wall:.1f} s: {total / wall:.1f} requests/s "
          f"({len(put) / wall:.1f} measurement PUT/s)")
    for label, values in (("PUT  /visits/{uuid}/measurement/", put),
                          ("POST /service-days/{uuid}/visits/", post)):
        print(f"  {label:36} n={len(values):5}  p50 {percentile(values, 50):6.1f} ms  "
              f"p95 {percentile(values, 95):6.1f} ms  p99 {percentile(values, 99):6.1f} ms  "
              f"max {max(values, default=0) * 1000:6.1f} ms")
    print(f"  status codes: register {dict(sorted(results.status['register'].items()))}, "
          f"measurement {dict(sorted(results.status['measure'].items()))}")
    print(f"  errors: {errors['register'] + errors['measure']}")
    if total:
        print(f"  CPU: machine {usage['busy_pct']:.0f} % busy (other processes "
              f"{usage['other_pct']:.0f} %); per request "
              f"gunicorn {1000 * usage['gunicorn'] / total:.1f} ms, "
              f"postgres {1000 * usage['postgres'] / total:.1f} ms, "
              f"bench clients {1000 * usage['client'] / total:.1f} ms")
    for failure in results.failures:
        print(f"    {failure}")
    if weight:
        print("\nStep-2 form page weight (logged-in kader, visit at step 2):")
        for row in weight["rows"]:
            print(f"  {row['kind']:4} {row['url'][:48]:48} {row['bytes']:7} B  gzip -6 {row['gzip']:6} B")
        print(f"  total {weight['bytes']} B ({weight['bytes'] / 1024:.1f} KiB), "
              f"gzip -6 {weight['gzip']} B ({weight['gzip'] / 1024:.1f} KiB)"
              + ("" if any(r["kind"] == "js" for r in weight["rows"]) else "; no JavaScript"))
        if after := weight.get("after"):
            chart = "with the KMS chart" if after["svg"] else "no chart"
            print(f"  the page after saving (step 3, {chart}): HTML {after['bytes']} B, "
                  f"gzip -6 {after['gzip']} B")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kader", type=int, default=50, help="concurrent kader (clients)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--duration", type=float, default=120, help="stop after this many seconds")
    parser.add_argument("--per-kader", type=int, default=1000, help="children per kader at most")
    parser.add_argument("--think", type=float, default=0,
                        help="mean pause (s) of a kader between two children; 0 = none (saturation)")
    parser.add_argument("--puskesmas", type=int, default=5)
    parser.add_argument("--posyandu", type=int, default=2, help="posyandu per Puskesmas")
    parser.add_argument("--people", type=int, default=1000,
                        help="people per posyandu (about 9 %% are balita)")
    parser.add_argument("--months", type=int, default=3, help="months of history")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/posyandu_bench"))
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="on a shared machine, wait up to this long for a quiet CPU first")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--access-log", action="store_true", help="gunicorn access log to its log")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        sys.path.insert(0, str(ROOT))
        prepare(args)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
