"""Data for the dashboard, export and API tests: H1's hand-computed fixture in
posyandu a1 (June-August 2026) plus one child in a2 and two in b1.

August 2026, hand-computed (see figures_fixture.py for a1):
  a1 Melati   S 6, D 5 (Andi N, Budi T, Citra N, Dewi N, Gita T): D/S 83,3 %, N/D 60 %
  a2 Mawar    S 1, D 1 (Mira, first weighing ever: B):           D/S 100 %,  N/D 0 %
  b1 Anggrek  S 2, D 1 (Bagus, first weighing ever: B):          D/S 50 %,   N/D 0 %
  Puskesmas Kencong (a1 + a2): S 7, D 6, N 3 -> D/S 85,7 %, N/D 50 %
  Puskesmas Cakru (b1):        S 2, D 1, N 0 -> D/S 50 %,   N/D 0 %
  Kabupaten Jember (all):      S 9, D 7, N 3 -> D/S 77,8 %, N/D 42,9 %
June 2026 in a1: S 8, D 6, N 2 -> D/S 75 %, N/D 33,3 %.
"""

from datetime import date

from tests.factories import make_person
from tests.reports.figures_fixture import AUG, DAYS, build_skdn_fixture, weigh

MONTH = "2026-08"


def build_area_data(world):
    children = build_skdn_fixture(world)
    mira = make_person(world.a2, name="Mira", sex="P", birth_date=date(2025, 1, 1), has_buku_kia=True)
    weigh(world.kader_a2, mira, DAYS[AUG], "9,5")
    bagus = make_person(world.b1, name="Bagus", sex="L", birth_date=date(2024, 6, 1), has_buku_kia=True)
    make_person(world.b1, name="Bunga", sex="P", birth_date=date(2024, 9, 1))
    weigh(world.kader_b1, bagus, DAYS[AUG], "11,0")
    return children
