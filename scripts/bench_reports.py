#!/usr/bin/env python
"""Benchmark of the monthly reports (issue 4): prints figures, it is not a test.

For a generated Puskesmas (default 40 posyandu x 1650 people, about 150 balita
each, 12 months of history) it measures:

1. the time to compute last month's figures of the Puskesmas, per kind
   (``report_tables``: SKDN, SIP, ILP recap), and ``skdn`` alone;
2. the time and peak memory (max RSS of the process doing it: a fresh Python
   process that runs ``report_generate``) to produce the Puskesmas PDF of
   each kind;
3. the time to produce all reports of a kabupaten (default 50 Puskesmas):
   every kind for every Puskesmas plus the kabupaten summaries, by N real
   Celery workers (default 2, ``-P solo`` each) over Redis, and the workers'
   peak RSS.

Runs against the PostgreSQL database in --database-url (created, tables built
from the models and data generated when missing; reused on the next run:
generation is the slow part). Redis from --broker. Example (full size):

    .venv/bin/python scripts/bench_reports.py \
        --database-url postgres://postgres@127.0.0.1:5432/posyandu_bench_reports \
        --broker redis://127.0.0.1:6379/15

Smaller kabupaten for a quick run: --kab-posyandu 2 --kab-people 300. Generating
is about 100 s per 60,000 people here; a full kabupaten (50 x 40 x 1650 people)
is 3.3 million people and takes well over an hour.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PUSKESMAS_KAB = "35.07"  # the one-Puskesmas area
WIDE_KAB = "35.08"  # the kabupaten of many Puskesmas


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url",
                   default=os.environ.get("BENCH_DATABASE_URL",
                                          "postgres://postgres@127.0.0.1:5432/posyandu_bench_reports"))
    p.add_argument("--broker", default=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15"))
    p.add_argument("--recreate", action="store_true", help="drop and regenerate the database")
    p.add_argument("--posyandu", type=int, default=40, help="posyandu of the measured Puskesmas")
    p.add_argument("--people", type=int, default=1650,
                   help="people per posyandu (1650 gives about 150 balita)")
    p.add_argument("--months", type=int, default=12, help="months of history")
    p.add_argument("--kab-puskesmas", type=int, default=50)
    p.add_argument("--kab-posyandu", type=int, default=40, help="posyandu per Puskesmas")
    p.add_argument("--kab-people", type=int, default=1650, help="people per posyandu")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--skip-kabupaten", action="store_true")
    p.add_argument("--repeat", type=int, default=3, help="runs of each figures timing")
    p.add_argument("--keep-pdf", default="", help="copy the Puskesmas PDFs into this folder")
    p.add_argument("--_pdf", type=int, default=0, help=argparse.SUPPRESS)  # child mode
    return p.parse_args(argv)


def setup_django(args, media_root: str):
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["CELERY_BROKER_URL"] = args.broker
    os.environ["MEDIA_ROOT"] = media_root
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posyandu.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def max_rss_mib() -> float:
    """Peak RSS of this process. VmHWM starts afresh at exec; ru_maxrss would
    carry the parent's peak over from the fork."""
    peak = _peak_rss_mib(os.getpid())
    if peak == peak:  # not NaN
        return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --------------------------------------------------------------------------- child: one PDF

def child_pdf(report_id: int) -> None:
    from reports.models import Report
    from reports.services import report_generate

    t0 = time.perf_counter()
    report = report_generate(report_id)
    seconds = time.perf_counter() - t0
    report = Report.objects.get(pk=report_id)
    print(f"RESULT {report.status} {seconds:.3f} {max_rss_mib():.1f} {report.pages or 0} "
          f"{report.size or 0} {report.file.name if report.file else '-'}", flush=True)
    if report.status != "ready":
        print(f"ERROR {report.error}", flush=True)


# --------------------------------------------------------------------------- database

def ensure_database(url: str, recreate: bool) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cur.fetchone()
            if exists and recreate:
                cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                cur.execute(f'CREATE DATABASE "{name}"')
                print(f"database {name} created")
    finally:
        conn.close()


def build_tables() -> None:
    """Tables from the models, like the test suite's --nomigrations (apps whose
    migrations are not written yet are included)."""
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if "posyandu_posyandu" in connection.introspection.table_names():
        return
    settings.MIGRATION_MODULES = {c.label: None for c in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)
    print("tables built")


def ensure_area(kode: str, puskesmas: int, posyandu: int, people: int, months: int) -> None:
    from posyandu.demo.generator import generate_area
    from posyandu.models import Kabupaten, Posyandu

    kab = Kabupaten.objects.filter(kode=kode).first()
    if kab is not None:
        from ilp.models import Person

        have = Posyandu.objects.filter(desa__kecamatan__kabupaten=kab).count()
        people_have = Person.objects.filter(posyandu__desa__kecamatan__kabupaten=kab).count()
        if (have, people_have) != (puskesmas * posyandu, puskesmas * posyandu * people):
            sys.exit(f"kabupaten {kode} exists with {have} posyandu and {people_have} people, not "
                     f"{puskesmas * posyandu} and {puskesmas * posyandu * people}: run with "
                     "--recreate, another --database-url, or the sizes it was made with")
        print(f"reusing generated kabupaten {kode} ({have} posyandu, {people_have} people)")
        return
    print(f"generating kabupaten {kode}: {puskesmas} Puskesmas x {posyandu} posyandu x "
          f"{people} people, {months} months ...", flush=True)
    summary = generate_area(puskesmas=puskesmas, posyandu_per_puskesmas=posyandu,
                            people_per_posyandu=people, months=months, seed=7,
                            kabupaten_kode=kode)
    print(f"  generated in {summary.seconds:.0f} s: " + "; ".join(summary.count_lines()))


def balita_count(posyandu_ids, month) -> int:
    from reports.figures.skdn import add_all, skdn

    return add_all(skdn(posyandu_ids, month).values()).S.total


# --------------------------------------------------------------------------- measurements

def bench_figures(pkm, month, repeat: int) -> None:
    from django.db import connection, reset_queries

    from reports.areas import area_posyandu_ids
    from reports.figures.build import report_tables
    from reports.figures.skdn import skdn, skdn_trend

    ids = list(area_posyandu_ids("puskesmas", pkm.pk))
    print(f"\n1. Figures of {pkm} for {month:%Y-%m}: {len(ids)} posyandu, "
          f"S = {balita_count(ids, month)} balita")
    jobs = [("skdn() only", lambda: skdn(ids, month)),
            ("skdn_trend() 12 months", lambda: skdn_trend(ids, month, 12))]
    jobs += [(f"report_tables({k!r})", lambda k=k: report_tables(k, "puskesmas", ids, month))
             for k in ("skdn", "sip", "ilp")]
    for label, fn in jobs:
        times = []
        for _ in range(repeat):
            connection.force_debug_cursor = True
            reset_queries()
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
            queries = len(connection.queries)
            connection.force_debug_cursor = False
        print(f"   {label:<26} first {times[0]:6.3f} s, best {min(times):6.3f} s, "
              f"{queries} queries")


def fresh_report(level, area_id, month, kind):
    from django.utils import timezone

    from reports.models import Report, Status

    Report.objects.filter(**{"level": level, f"{level}_id": area_id, "month": month,
                             "kind": kind}).delete()
    return Report.objects.create(**{"level": level, f"{level}_id": area_id}, month=month,
                                 kind=kind, status=Status.QUEUED, requested_at=timezone.now())


def bench_pdf(args, pkm, month, env) -> None:
    print(f"\n2. Puskesmas PDF of {pkm} ({month:%Y-%m}), each in a fresh process "
          "(time of report_generate; peak RSS of that process)")
    for kind in ("skdn", "sip", "ilp"):
        report = fresh_report("puskesmas", pkm.pk, month, kind)
        out = subprocess.run([sys.executable, __file__, "--_pdf", str(report.pk),
                              "--database-url", args.database_url, "--broker", args.broker],
                             env=env, capture_output=True, text=True, cwd=ROOT)
        line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT")), None)
        if line is None:
            print(f"   {kind}: child failed\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
            continue
        _, status, secs, rss, pages, size, name = line.split(" ", 6)
        print(f"   {kind:<5} {status:<6} {float(secs):6.2f} s  peak RSS {float(rss):6.1f} MiB  "
              f"{pages} pages  {int(size) / 1024:7.1f} KiB")
        if status != "ready":
            print("   " + "\n   ".join(x for x in out.stdout.splitlines() if x.startswith("ERROR")))
        if args.keep_pdf and name != "-":
            Path(args.keep_pdf).mkdir(parents=True, exist_ok=True)
            target = Path(args.keep_pdf) / f"puskesmas-{kind}.pdf"
            target.write_bytes((Path(env["MEDIA_ROOT"]) / name).read_bytes())


def _peak_rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def bench_kabupaten(args, kab, month, env) -> None:
    from django.db import transaction

    from posyandu.celery import app
    from posyandu.models import Puskesmas
    from reports.models import Report, Status
    from reports.services import _request

    pkms = list(Puskesmas.objects.filter(kecamatan__kabupaten=kab,
                                         desa__posyandu__is_active=True).distinct()
                .values_list("pk", flat=True))
    areas = [("puskesmas", pk) for pk in pkms] + [("kabupaten", kab.pk)]
    kinds = ("skdn", "sip", "ilp")
    print(f"\n3. All reports of {kab} for {month:%Y-%m}: {len(pkms)} Puskesmas x {len(kinds)} "
          f"kinds + {len(kinds)} kabupaten summaries = {len(areas) * len(kinds)} PDFs, "
          f"{args.workers} Celery workers (-P solo) over {args.broker}")
    Report.objects.filter(month=month, puskesmas_id__in=pkms).delete()
    Report.objects.filter(month=month, kabupaten=kab).delete()
    app.conf.task_always_eager = False
    app.control.purge()
    logs = []
    workers = []
    for i in range(args.workers):
        log = tempfile.NamedTemporaryFile("w+", prefix=f"bench-worker{i}-", suffix=".log",
                                          delete=False)
        logs.append(log)
        workers.append(subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "celery"), "-A", "posyandu", "worker", "-P", "solo",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING",
             "-n", f"bench{i}-{os.getpid()}@%h"],
            cwd=ROOT, env={**env, "DB_CONN_MAX_AGE": "60"}, stdout=log, stderr=subprocess.STDOUT,
        ))
    try:
        time.sleep(3)  # let the workers connect
        t0 = time.perf_counter()
        ids = []
        for level, pk in areas:
            for kind in kinds:
                with transaction.atomic():
                    ids.append(_request(level=level, area_id=pk, month=month, kind=kind,
                                        user=None).pk)
        total = len(ids)
        last_print = 0.0
        while True:
            done = Report.objects.filter(pk__in=ids, status__in=[Status.READY, Status.FAILED])
            n = done.count()
            elapsed = time.perf_counter() - t0
            if elapsed - last_print > 30:
                print(f"   ... {n}/{total} after {elapsed:.0f} s", flush=True)
                last_print = elapsed
            if n == total or any(w.poll() is not None for w in workers):
                break
            time.sleep(1)
        elapsed = time.perf_counter() - t0
        rss = [_peak_rss_mib(w.pid) for w in workers]
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            try:
                w.wait(30)
            except subprocess.TimeoutExpired:
                w.kill()
    rows = Report.objects.filter(pk__in=ids)
    ready = rows.filter(status=Status.READY)
    failed = rows.filter(status=Status.FAILED)
    pages = sum(ready.values_list("pages", flat=True))
    size = sum(ready.values_list("size", flat=True)) / 1024 / 1024
    print(f"   {ready.count()}/{total} ready, {failed.count()} failed in {elapsed:.1f} s "
          f"({elapsed / max(total, 1):.2f} s per report wall clock), {pages} pages, {size:.1f} MiB")
    for level in ("puskesmas", "kabupaten"):
        durations = [
            (r.finished_at - r.started_at).total_seconds()
            for r in ready.filter(level=level) if r.finished_at and r.started_at
        ]
        if durations:
            print(f"   {level:<9} report: mean {sum(durations) / len(durations):5.2f} s, "
                  f"max {max(durations):5.2f} s in a worker")
    print("   workers' peak RSS: " + ", ".join(f"{r:.0f} MiB" for r in rss))
    for r in failed[:3]:
        print(f"   failed {r}: {r.error}")
    for log in logs:
        log.close()
        if failed.exists():
            print(Path(log.name).read_text()[-3000:])
        os.unlink(log.name)


def main(argv=None) -> None:
    args = parse_args(argv)
    media_root = os.environ.get("BENCH_MEDIA_ROOT") or tempfile.mkdtemp(prefix="bench-reports-")
    if args._pdf:
        setup_django(args, os.environ["MEDIA_ROOT"])
        child_pdf(args._pdf)
        return
    ensure_database(args.database_url, args.recreate)
    setup_django(args, media_root)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "posyandu.settings.base", "DEBUG": "1"}
    build_tables()
    from posyandu.models import Kabupaten, Puskesmas
    from reports.services import previous_month

    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPU, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"database: {args.database_url}")
    ensure_area(PUSKESMAS_KAB, 1, args.posyandu, args.people, args.months)
    month = previous_month()
    pkm = Puskesmas.objects.filter(kecamatan__kabupaten__kode=PUSKESMAS_KAB).first()
    bench_figures(pkm, month, args.repeat)
    bench_pdf(args, pkm, month, env)
    if not args.skip_kabupaten:
        ensure_area(WIDE_KAB, args.kab_puskesmas, args.kab_posyandu, args.kab_people, args.months)
        bench_kabupaten(args, Kabupaten.objects.get(kode=WIDE_KAB), month, env)
    print(f"\nPDF files were written under {media_root}")


if __name__ == "__main__":
    main()
