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


# --------------------------------------------------------------------------- August recap data
#
# On top of the SKDN fixture, August 2026 at posyandu a1 (service day 12 Aug):
# | person | sex | born | in August |
# |---|---|---|---|
# | Sari  | P | 1995-03-01 | pregnant (HPHT 2026-04-01, 19 weeks): LiLA 22,0 (KEK), TD 145/95 by the kader, Hb 10,0 (anaemic in TM II), ANC with 30 TTD and kelas ibu, counselled, referred |
# | Tini  | P | 1998-01-01 | nifas (gave birth 2026-07-25): vitamin A merah |
# | Uci   | P | 2000-01-01 | pregnant (HPHT 2026-06-01), does not come |
# | Rina  | P | 2010-05-01 | remaja 16 y: BB 50, TB 155, lingkar perut 85; TD 100/70, Hb 11,0 (anaemic), TTD |
# | Bima  | L | 2015-02-01 | usia sekolah 11 y, does not come |
# | Joko  | L | 1970-01-01 | dewasa 56 y: BB 80, TB 165 (IMT 29,4 obesitas), perut 95; TD 150/95, GDS 250; SRQ-20 with 7 "ya" |
# | Minah | P | 1950-06-01 | lansia 76 y: ADL all independent (A), SKILAS cognitive finding, referred |
# Children: Citra also gets a length of 78,0 cm lying (PB/U -2,54 pendek; BB/PB +1,65
# berisiko gizi lebih); Gita gets DPT-HB-Hib 3 and vitamin A biru (and HB0 copied from
# her buku KIA, given 2026-01-11 elsewhere); Andi gets vitamin A merah; Dewi is referred
# (BGM); Budi is counselled.


@dataclass
class Adults:
    sari: Person
    tini: Person
    uci: Person
    rina: Person
    bima: Person
    joko: Person
    minah: Person


def build_recap_fixture(world, c: Children) -> Adults:
    from ilp.models import Pregnancy
    from ilp.services.day import counselling_record
    from ilp.services.exam import (
        anc_record,
        examination_record,
        immunisation_give,
        referral_create,
        screening_record,
        supplement_give,
    )
    from posyandu.reference import table

    p, k, b = world.a1, world.kader_a1, world.bidan_a
    day = DAYS[AUG]
    a = Adults(
        sari=make_person(p, name="Sari", sex="P", birth_date=date(1995, 3, 1)),
        tini=make_person(p, name="Tini", sex="P", birth_date=date(1998, 1, 1)),
        uci=make_person(p, name="Uci", sex="P", birth_date=date(2000, 1, 1)),
        rina=make_person(p, name="Rina", sex="P", birth_date=date(2010, 5, 1)),
        bima=make_person(p, name="Bima", sex="L", birth_date=date(2015, 2, 1)),
        joko=make_person(p, name="Joko", sex="L", birth_date=date(1970, 1, 1)),
        minah=make_person(p, name="Minah", sex="P", birth_date=date(1950, 6, 1)),
    )
    Pregnancy.objects.create(person=a.sari, hpht=date(2026, 4, 1), due_date=date(2027, 1, 6))
    Pregnancy.objects.create(
        person=a.tini, hpht=date(2025, 10, 20), due_date=date(2026, 7, 27),
        outcome=Pregnancy.Outcome.LIVE_BIRTH, outcome_date=date(2026, 7, 25),
    )
    Pregnancy.objects.create(person=a.uci, hpht=date(2026, 6, 1), due_date=date(2027, 3, 8))

    def visit(person):
        return visit_on(p, person, day)

    measurement_record(user=k, visit=visit(a.sari), confirm_unusual=True, data={
        "weight_kg": "55", "muac_cm": "22,0", "systolic": 145, "diastolic": 95})
    examination_record(user=b, visit=visit(a.sari), data={"hb_g_dl": "10,0"})
    anc_record(user=b, visit=visit(a.sari), data={"ttd_tablets": 30, "kelas_ibu": True})
    counselling_record(user=k, visit=visit(a.sari), topics=["gizi_balita"])
    referral_create(user=b, visit_or_person=visit(a.sari), reason="Hipertensi pada kehamilan")
    supplement_give(user=b, visit=visit(a.tini), kind="vitamin_a_merah")
    measurement_record(user=k, visit=visit(a.rina), confirm_unusual=True, data={
        "weight_kg": "50", "length_cm": "155", "length_method": "standing", "waist_cm": "85"})
    examination_record(user=b, visit=visit(a.rina), data={
        "systolic": 100, "diastolic": 70, "hb_g_dl": "11,0"})
    supplement_give(user=b, visit=visit(a.rina), kind="ttd")
    measurement_record(user=k, visit=visit(a.joko), confirm_unusual=True, data={
        "weight_kg": "80", "length_cm": "165", "length_method": "standing", "waist_cm": "95"})
    examination_record(user=b, visit=visit(a.joko), data={
        "systolic": 150, "diastolic": 95, "glucose_mg_dl": 250, "glucose_kind": "sewaktu"})
    srq = {f"q{i}": ("ya" if i <= 7 else "tidak") for i in range(1, 21)}
    screening_record(user=b, visit=visit(a.joko), instrument="srq20", answers=srq)
    spec = table("screenings", day)
    adl = {i["code"]: max(o["score"] for o in i["options"]) for i in spec["adl"]["items"]}
    screening_record(user=b, visit=visit(a.minah), instrument="adl", answers=adl)
    skilas = {i["code"]: "tidak" for d in spec["skilas"]["domains"] for i in d["items"]}
    skilas["kognitif_tiga_kata"] = "ya"
    screening_record(user=b, visit=visit(a.minah), instrument="skilas", answers=skilas)
    referral_create(user=b, visit_or_person=visit(a.minah), reason="SKILAS: penurunan kognitif")
    # children
    weigh(k, c.citra, day, "11,3", length_cm="78,0", length_method="lying")
    immunisation_give(user=b, visit=visit(c.gita), vaccine="DPT-HB-Hib3")
    immunisation_give(user=b, visit=visit(c.gita), vaccine="HB0", given_on=date(2026, 1, 11))
    supplement_give(user=b, visit=visit(c.gita), kind="vitamin_a_biru")
    supplement_give(user=b, visit=visit(c.andi), kind="vitamin_a_merah")
    referral_create(user=b, visit_or_person=visit(c.dewi), reason="BGM")
    counselling_record(user=k, visit=visit(c.budi), topics=["gizi_balita"])
    return a
