"""SKDN figures against the hand-computed fixture (tests/reports/figures_fixture.py)
and the D = N + T + O + B identity on generated data."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilp.models import Measurement, Visit
from ilp.services.measurements import measurements_recompute
from posyandu.demo.generator import generate_area
from posyandu.models import Posyandu
from posyandu.reference import sync_shipped_tables
from reports.figures.skdn import SexCounts, Skdn, skdn, skdn_by_month, skdn_trend
from tests.factories import make_person
from tests.reports.figures_fixture import AUG, JUL, JUN, build_skdn_fixture, weigh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_tables(db):
    sync_shipped_tables()


def counts(row: Skdn) -> dict[str, tuple[int, int]]:
    """{letter: (L, P)} for compact comparison."""
    names = ("S", "K", "D", "B", "O", "N", "T", "D_prime", "T2", "BGM")
    return {n: (getattr(row, n).L, getattr(row, n).P) for n in names}


# June 2026 (month end 30 June).
# S: every child is 0-59 months on 30 June (Eko 59 mo, Gita 5 mo) and lives in
#    the area: L Andi, Budi, Eko, Fajar = 4; P Citra, Dewi, Gita, Hani = 4.
# K: without buku KIA are Fajar (L) and Dewi (P): L 3, P 3.
# D: weighed in June: Andi, Eko, Fajar (L 3); Citra, Dewi, Gita (P 3). Budi
#    missed June, Hani never comes. Gita was weighed twice (3 June at home,
#    10 June at the posyandu) and counts once.
# B: Andi (first weighing ever), Gita (first ever on 3 June; her 10 June
#    weighing is stored as O but the month holds her first weighing) -> L1 P1.
# N: Eko +300 g and Fajar +300 g (KBM 200) -> L2. T: Citra +0 g, Dewi +100 g
#    (KBM 200 at 15-22 mo) -> P2. O: none. D' = N + T: L2 P2.
# 2T: Citra's previous weighing (May) was B, not T -> none. BGM: Dewi (z -3.43).
JUNE = {
    "S": (4, 4), "K": (3, 3), "D": (3, 3), "B": (1, 1), "O": (0, 0), "N": (2, 0),
    "T": (0, 2), "D_prime": (2, 2), "T2": (0, 0), "BGM": (0, 1),
}
# July 2026 (month end 31 July).
# S: Eko turns 60 months on 20 July and Fajar moved away on 20 July: out.
#    L Andi, Budi = 2; P Citra, Dewi, Gita, Hani = 4. K: L 2, P 3 (Dewi none).
# D: Andi, Budi, Eko (59 months when weighed on 8 July), Fajar (weighed before
#    moving) -> L4; Citra, Dewi, Gita -> P3. D (7) > S (6) on purpose.
# Andi +300 N; Budi O (weighed in May, missed June); Eko +200 = KBM N;
# Fajar +100 T; Citra -100 T after T = 2T; Dewi +300 N (still BGM, z -3.23);
# Gita +500 from her latest June weighing (6.2) at 5 months, KBM 500 -> N.
JULY = {
    "S": (2, 4), "K": (2, 3), "D": (4, 3), "B": (0, 0), "O": (1, 0), "N": (2, 2),
    "T": (1, 1), "D_prime": (3, 3), "T2": (0, 1), "BGM": (0, 1),
}
# August 2026: S and K as July. Eko is weighed at 60 months: not a balita at
# the weighing, no KMS letter, not in D. Fajar has moved.
# Andi +300 N; Budi +100 T (his July was O, so no 2T); Citra +400 N;
# Dewi +200 N (BGM, z -3.20); Gita +300 at 7 months, KBM 400 -> T.
AUGUST = {
    "S": (2, 4), "K": (2, 3), "D": (2, 3), "B": (0, 0), "O": (0, 0), "N": (1, 2),
    "T": (1, 1), "D_prime": (2, 3), "T2": (0, 0), "BGM": (0, 1),
}


def test_skdn_by_sex_matches_hand_computed_months(world):
    build_skdn_fixture(world)
    for month, expected in ((JUN, JUNE), (JUL, JULY), (AUG, AUGUST)):
        got = skdn([world.a1.pk, world.a2.pk], month)
        assert set(got) == {world.a1.pk, world.a2.pk}
        assert counts(got[world.a1.pk]) == expected, month
        assert got[world.a2.pk] == Skdn()  # a posyandu with nobody: a zero row


def test_indicators_june(world):
    build_skdn_fixture(world)
    june = skdn([world.a1.pk], JUN)[world.a1.pk]
    # K/S 6/8, D/S 6/8, D/K 6/6, N/D 2/6, N/D' 2/4, N/S 2/8, BGM/D 1/6, 2T/D 0/6
    assert june.indicators() == {
        "K/S": 75.0, "D/S": 75.0, "D/K": 100.0, "N/D": 33.3, "N/D′": 50.0,
        "N/S": 25.0, "BGM/D": 16.7, "2T/D": 0.0,
    }
    # girls only: S 4, K 3, D 3, N 0, D' 2, BGM 1
    assert june.indicators("P") == {
        "K/S": 75.0, "D/S": 75.0, "D/K": 100.0, "N/D": 0.0, "N/D′": 0.0,
        "N/S": 0.0, "BGM/D": 33.3, "2T/D": 0.0,
    }
    assert Skdn().indicators() == dict.fromkeys(june.indicators(), None)


def test_late_correction_changes_that_month_and_the_next(world):
    c = build_skdn_fixture(world)
    # Citra's July weight was 11.5, not 10.9: July becomes +500 N (no 2T), and
    # August 11.3 becomes -200 T (it was +400 N).
    weigh(world.kader_a1, c.citra, date(2026, 7, 8), "11,5")
    july = counts(skdn([world.a1.pk], JUL)[world.a1.pk])
    august = counts(skdn([world.a1.pk], AUG)[world.a1.pk])
    assert july == JULY | {"N": (2, 3), "T": (1, 0), "T2": (0, 0)}
    assert august == AUGUST | {"N": (1, 1), "T": (1, 2)}
    # June is untouched.
    assert counts(skdn([world.a1.pk], JUN)[world.a1.pk]) == JUNE


def test_late_entry_of_a_home_visit(world):
    c = build_skdn_fixture(world)
    # Hani's weighing on a home visit, typed in late: her first ever -> B in August.
    weigh(world.kader_a1, c.hani, date(2026, 8, 20), "14,0", kind="rumah")
    august = counts(skdn([world.a1.pk], AUG)[world.a1.pk])
    assert august == AUGUST | {"D": (2, 4), "B": (0, 1)}


def test_trend_is_the_months_in_order_from_one_grouped_pass(world):
    build_skdn_fixture(world)
    with CaptureQueriesContext(connection) as ctx:
        trend = skdn_trend([world.a1.pk, world.a2.pk], AUG, months=3)
    selects = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 4  # two figure queries; reference tables may be read once
    assert [m for m, _ in trend] == [JUN, JUL, AUG]
    assert [counts(row) for _, row in trend] == [JUNE, JULY, AUGUST]


def test_child_weighed_at_another_posyandu_counts_there(world):
    """D counts where the weighing happened; S where the child lives."""
    child = make_person(world.a1, name="Tamu", sex="L", birth_date=date(2025, 3, 1))
    weigh(world.kader_a2, child, date(2026, 6, 11), "9,5", posyandu=world.a2)
    got = skdn([world.a1.pk, world.a2.pk], JUN)
    assert (got[world.a1.pk].S.L, got[world.a1.pk].D.L) == (1, 0)
    assert (got[world.a2.pk].S.L, got[world.a2.pk].D.L, got[world.a2.pk].B.L) == (0, 1, 1)


def test_sex_counts_and_sum():
    a = Skdn(S=SexCounts(1, 2), D=SexCounts(1, 0))
    b = Skdn(S=SexCounts(3, 4), N=SexCounts(0, 5))
    total = a + b
    assert total.S == SexCounts(4, 6) and total.S.total == 10
    assert total.N.get("P") == 5 and total.D.get(None) == 1


def test_d_equals_n_t_o_b_on_generated_data(db):
    generate_area(
        puskesmas=1, posyandu_per_puskesmas=2, people_per_posyandu=150, months=6, seed=7,
        end=date(2026, 7, 1),
    )
    ids = list(Posyandu.objects.values_list("pk", flat=True))
    # a few children weighed twice in a month, on home visits
    first_ids = (
        Measurement.objects.filter(trend__in=["N", "T"]).order_by("pk")
        .values_list("pk", flat=True)[:5]
    )
    for m in Measurement.objects.filter(pk__in=list(first_ids)).select_related("visit"):
        day = m.measured_on.replace(day=25)
        v = Visit.objects.create(
            posyandu_id=m.posyandu_id, person_id=m.person_id, kind="rumah", date=day
        )
        Measurement.objects.create(
            visit=v, posyandu_id=m.posyandu_id, person_id=m.person_id, measured_on=day,
            weight_kg=m.weight_kg,
        )
    measurements_recompute(person_ids=Measurement.objects.values_list("person_id", flat=True))
    weighed_months = 0
    for month, per in skdn_by_month(ids, date(2026, 1, 1), date(2026, 6, 1)).items():
        for row in per.values():
            for sex in ("L", "P"):
                d = row.D.get(sex)
                assert d == row.N.get(sex) + row.T.get(sex) + row.O.get(sex) + row.B.get(sex)
                assert row.D_prime.get(sex) == row.N.get(sex) + row.T.get(sex)
                assert row.K.get(sex) <= row.S.get(sex)
                assert row.T2.get(sex) <= row.T.get(sex)
                weighed_months += d
        # D is the number of distinct balita weighed in the month
        distinct = (
            Measurement.objects.filter(
                posyandu_id__in=ids, weight_kg__isnull=False, measured_on__year=month.year,
                measured_on__month=month.month,
            ).exclude(trend="").values("person_id").distinct().count()
        )
        assert sum(r.D.total for r in per.values()) == distinct
    assert weighed_months > 100  # the generated area really has weighings

