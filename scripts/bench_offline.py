#!/usr/bin/env python
"""Figures of the offline-first service day (issue 9): not a test, it prints.

1. The day kept on the phone (``GET /api/v1/service-days/{uuid}/offline/``) for
   the largest posyandu of the database: people, JSON bytes, gzipped bytes,
   queries and time (median of --runs).
2. One sync batch of 100 operations (50 visit.register + 50 measurement.record
   of balita not yet registered that day): time, queries; then the same batch
   again (all "duplicate").

Run against a database holding a generated area, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/posyandu_srv \\
      .venv/bin/python manage.py generate_area --posyandu-per-puskesmas 1 --people 1650
    DATABASE_URL=... .venv/bin/python scripts/bench_offline.py

It opens today's service day of that posyandu (creating it when missing) and
writes the visits and measurements of step 2: use a scratch database.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posyandu.settings.base")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.test import APIClient

    from ilp.models import Measurement, Person, ServiceDay, Visit
    from ilp.services.measurements import measurements_recompute
    from posyandu.models import Membership, Posyandu, Role

    settings.ALLOWED_HOSTS = ["*"]
    posyandu = Posyandu.objects.annotate(n=Count("persons")).order_by("-n").first()
    if posyandu is None:
        sys.exit("No posyandu: generate an area first (manage.py generate_area).")
    if Measurement.objects.filter(posyandu=posyandu, age_days__isnull=True).exists():
        measurements_recompute(person_ids=Person.objects.filter(posyandu=posyandu)
                               .values_list("pk", flat=True))
    kader = Membership.objects.filter(posyandu=posyandu, role=Role.KADER).first().user
    today = timezone.localdate()
    day, _ = ServiceDay.objects.get_or_create(posyandu=posyandu, date=today)
    if day.status != ServiceDay.Status.OPEN:
        day.status = ServiceDay.Status.OPEN
        day.save(update_fields=["status"])

    api = APIClient()
    api.force_authenticate(kader)
    url = f"/api/v1/service-days/{day.uuid}/offline/"
    api.get(url)  # warm caches (reference tables, WHO tables)
    times, queries = [], 0
    for _ in range(args.runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url)
        times.append(time.perf_counter() - start)
        queries = len(captured)
    assert response.status_code == 200, response.content[:500]
    raw = response.content
    body = json.loads(raw)
    children = sum(1 for p in body["people"] if p["growth"])
    print(f"Posyandu {posyandu.nama}: {len(body['people'])} people on the day, "
          f"{children} with growth data, {len(body['visits'])} visits")
    print(f"  bundle JSON: {len(raw):,} bytes; gzipped (level 6): "
          f"{len(gzip.compress(raw, 6)):,} bytes")
    print(f"  queries: {queries}; time: median {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)")

    came = Visit.objects.filter(date=today).values("person_id")
    balita = [p for p in body["people"] if p["growth"]]
    fresh = [p for p in balita if not Person.objects.filter(uuid=p["uuid"], pk__in=came).exists()]
    ops = []
    for p in fresh[:50]:
        reg = {"client_id": str(uuid.uuid4()), "kind": "visit.register",
               "taken_at": timezone.now().isoformat(),
               "payload": {"day": str(day.uuid), "person": p["uuid"]}}
        last = p["last"] or {}
        weight = last.get("weight_kg") or "9.0"
        ops.append(reg)
        ops.append({"client_id": str(uuid.uuid4()), "kind": "measurement.record",
                    "taken_at": timezone.now().isoformat(),
                    "payload": {"visit": reg["client_id"],
                                "values": {"weight_kg": weight.replace(".", ",")},
                                "confirm_unusual": True}})
    for label in ("first send", "same batch again"):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = api.post("/api/v1/sync/", {"operations": ops}, format="json")
        elapsed = time.perf_counter() - start
        results = response.json()["results"]
        statuses = {}
        for r in results:
            key = r["status"] if r["status"] != "rejected" else f"rejected:{r['code']}"
            statuses[key] = statuses.get(key, 0) + 1
        print(f"  sync {len(ops)} operations ({label}): {elapsed * 1000:.0f} ms, "
              f"{len(captured)} queries, {statuses}")


if __name__ == "__main__":
    main()
