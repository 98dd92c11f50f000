"""The hand-computed fixture of issue 4: posyandu a1 (Melati) over June, July
and August 2026, built through the real services (measurement_record runs the
step-3 recompute exactly as the service day does).

Service days: 10 June, 8 July, 12 August 2026 (plus 13 May for history).
KBM (g) by age in months at the weighing: 4: 600, 5: 500, 6-7: 400,
8-11: 300, 12-60: 200.

| child | sex | born | buku KIA | weights (kg) |
|---|---|---|---|---|
| Andi  | L | 2025-06-01 | yes | Jun 9.0 (first ever), Jul 9.3, Aug 9.6 |
| Budi  | L | 2025-01-10 | yes | May 10.0, Jun missed, Jul 10.4, Aug 10.5 |
| Citra | P | 2024-08-20 | yes | May 11.0, Jun 11.0, Jul 10.9, Aug 11.3 |
| Dewi  | P | 2025-02-15 | no  | May 6.4, Jun 6.5, Jul 6.8, Aug 7.0 (BB/U z -3.2..-3.4: BGM) |
| Eko   | L | 2021-07-20 | yes | May 15.0, Jun 15.3, Jul 8 15.5 (59 mo), Aug 15.7 (60 mo) |
| Fajar | L | 2024-03-05 | no  | May 12.0, Jun 12.3, Jul 12.4; moved away 2026-07-20 |
| Gita  | P | 2026-01-10 | yes | Jun 3 6.0 (home visit, first ever), Jun 10 6.2, Jul 6.7, Aug 7.0 |
| Hani  | P | 2023-05-05 | yes | never weighed (a late entry adds Aug 20 14.0 in one test) |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ilp.models import Person, ServiceDay, Visit
from ilp.services.measurements import measurement_record
from tests.factories import make_person

MAY, JUN, JUL, AUG = date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)
DAYS = {
    MAY: date(2026, 5, 13), JUN: date(2026, 6, 10), JUL: date(2026, 7, 8), AUG: date(2026, 8, 12),
}


def visit_on(posyandu, person, day, *, kind="posyandu") -> Visit:
    visit = Visit.objects.filter(person=person, date=day).first()
    if visit is not None:
        return visit
    service_day = None
    if kind == "posyandu":
        service_day, _ = ServiceDay.objects.get_or_create(
            posyandu=posyandu, date=day, defaults={"status": ServiceDay.Status.OPEN}
        )
    return Visit.objects.create(
        posyandu=posyandu, person=person, service_day=service_day, kind=kind, date=day
    )


def weigh(user, person, day, weight, *, kind="posyandu", posyandu=None, **extra):
    visit = visit_on(posyandu or person.posyandu, person, day, kind=kind)
    data = {"weight_kg": weight, **extra}
    return measurement_record(user=user, visit=visit, data=data, confirm_unusual=True)


@dataclass
class Children:
    andi: Person
    budi: Person
    citra: Person
    dewi: Person
    eko: Person
    fajar: Person
    gita: Person
    hani: Person


def build_skdn_fixture(world) -> Children:
    p, k = world.a1, world.kader_a1
    c = Children(
        andi=make_person(p, name="Andi", sex="L", birth_date=date(2025, 6, 1), has_buku_kia=True),
        budi=make_person(p, name="Budi", sex="L", birth_date=date(2025, 1, 10), has_buku_kia=True),
        citra=make_person(p, name="Citra", sex="P", birth_date=date(2024, 8, 20),
                          has_buku_kia=True),
        dewi=make_person(p, name="Dewi", sex="P", birth_date=date(2025, 2, 15)),
        eko=make_person(p, name="Eko", sex="L", birth_date=date(2021, 7, 20), has_buku_kia=True),
        fajar=make_person(p, name="Fajar", sex="L", birth_date=date(2024, 3, 5)),
        gita=make_person(p, name="Gita", sex="P", birth_date=date(2026, 1, 10), has_buku_kia=True),
        hani=make_person(p, name="Hani", sex="P", birth_date=date(2023, 5, 5), has_buku_kia=True),
    )
    weights = {
        c.andi: {JUN: "9,0", JUL: "9,3", AUG: "9,6"},
        c.budi: {MAY: "10,0", JUL: "10,4", AUG: "10,5"},
        c.citra: {MAY: "11,0", JUN: "11,0", JUL: "10,9", AUG: "11,3"},
        c.dewi: {MAY: "6,4", JUN: "6,5", JUL: "6,8", AUG: "7,0"},
        c.eko: {MAY: "15,0", JUN: "15,3", JUL: "15,5", AUG: "15,7"},
        c.fajar: {MAY: "12,0", JUN: "12,3", JUL: "12,4"},
        c.gita: {JUN: "6,2", JUL: "6,7", AUG: "7,0"},
    }
    # Gita's first weighing ever: a home visit a week before the June service day.
    weigh(k, c.gita, date(2026, 6, 3), "6,0", kind="rumah")
    for child, by_month in weights.items():
        for month, weight in by_month.items():
            weigh(k, child, DAYS[month], weight)
    c.fajar.moved_on = date(2026, 7, 20)
    c.fajar.moved_to = "Kab. Lumajang"
    c.fajar.save()
    return c
