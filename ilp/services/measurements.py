"""Measurement services: step 2 (record what was measured) and step 3 (what it means).

``measurement_record`` checks and saves the one measurement set of a visit
(a correction edits the same row; django-simple-history keeps the old values).
``measurements_recompute`` derives everything step 3 shows from a person's
whole measurement history: age, WHO z-scores and Permenkes 2/2020 categories,
the KMS trend (B/O/N/T), BGM, 2T, adult IMT and the review flags. A weight
edited later changes that month's and the next month's N/T, so every save
recomputes the person; nothing derived is cached elsewhere.

Rule tables (KBM, adult thresholds, life-cycle bands, input bounds) are read
from the versioned reference tables valid on each measurement's date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.utils import timezone

from ilp.growth import assess
from ilp.growth.age import age_in_days, age_in_months
from ilp.growth.assessment import ADULT_FROM_MONTHS, HEIGHT_FROM_DAY
from ilp.growth.kms import is_bgm, weight_trend
from ilp.measure_input import NUMERIC_FIELDS, Problem, adult_imt, check_values, parse_decimal
from ilp.models import Measurement, Person, Step, Visit
from ilp.services.day import require_open, visit_move
from posyandu.reference import table
from posyandu.scoping import has_perm

CONFIRM_CODE = "confirm_unusual"
TRENDS = ("N", "T")
INDEX_FIELDS = ("bbu", "tbu", "bbtb", "imtu", "lku")
DERIVED_FIELDS = [
    "age_days", "age_months",
    "bbu_z", "tbu_z", "bbtb_z", "imtu_z", "lku_z",
    "bbu_cat", "tbu_cat", "bbtb_cat", "imtu_cat", "lku_cat",
    "trend", "trend_override", "trend_override_reason", "trend_override_by",
    "is_bgm", "is_2t", "imt", "imt_cat", "flags",
]
PERSON_BATCH = 500
UPDATE_BATCH = 1000  # rows per UPDATE statement (22 parameters each)


class UnusualValues(ValidationError):
    """Values that are possible but unusual: nothing was saved. Show the messages
    (keyed by field) with a "Sudah diukur ulang, nilainya benar" checkbox and call
    again with ``confirm_unusual=True``. ``code`` is "confirm_unusual"."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        errors: dict[str, list[ValidationError]] = {}
        for p in self.problems:
            errors.setdefault(p.field, []).append(ValidationError(p.message, code=CONFIRM_CODE))
        super().__init__(errors)
        self.code = CONFIRM_CODE


def _require(user, posyandu_id: int) -> None:
    if not has_perm(user, "service.kader", posyandu_id):
        raise PermissionDenied("Anda tidak berwenang mencatat pengukuran di posyandu ini.")


def _local_today(tz_name: str) -> date:
    return timezone.localtime(timezone.now(), ZoneInfo(tz_name or "Asia/Jakarta")).date()


def _lock_person(person_id: int) -> None:
    """Serialise every save that recomputes this person (the recompute reads the
    person's whole history, so two saves of different visits must not interleave)."""
    list(Person.objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True))


@transaction.atomic
def measurement_record(
    *, user, visit: Visit, data: Mapping, confirm_unusual: bool = False
) -> Measurement:
    """Save the measurement set of ``visit`` (create, or edit the existing one).

    ``data`` holds the whole set as typed (strings or numbers): weight_kg,
    length_cm, length_method ("lying"/"standing"), head_cm, muac_cm, waist_cm,
    systolic, diastolic; a key left out or blank means "not measured" (on an
    edit too: the set replaces the previous one). Raises PermissionDenied,
    ValidationError keyed by field (hard problems), or UnusualValues (code
    "confirm_unusual") when values are unusual and ``confirm_unusual`` is not
    set; nothing is saved then."""
    _require(user, visit.posyandu_id)
    # Lock order person -> visit -> measurement, as person_merge (persons, then their rows).
    _lock_person(visit.person_id)
    locked = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("person", "posyandu", "service_day")
        .get(pk=visit.pk)
    )
    if locked.person_id != visit.person_id:  # merged meanwhile
        _lock_person(locked.person_id)
    _require(user, locked.posyandu_id)
    require_open(locked.service_day)  # a closed day is read-only
    person = locked.person

    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    for field in NUMERIC_FIELDS:
        try:
            values[field] = parse_decimal(data.get(field))
        except ValueError as e:
            errors.setdefault(field, []).append(str(e))
            values[field] = None
    values["length_method"] = str(data.get("length_method") or "").strip()

    problems = check_values(
        sex=person.sex, birth_date=person.birth_date, measured_on=locked.date, values=values,
        today=_local_today(locked.posyandu.timezone),
        bounds=table("measurement_bounds", locked.date),
    )
    for p in problems:
        if p.hard:
            errors.setdefault(p.field, []).append(p.message)
    if not errors and all(values[f] is None for f in NUMERIC_FIELDS):
        errors[NON_FIELD_ERRORS] = ["Isi paling sedikit satu ukuran."]
    if errors:
        raise ValidationError(errors)
    soft = [p for p in problems if not p.hard]
    if soft and not confirm_unusual:
        raise UnusualValues(soft)

    measurement = Measurement.objects.filter(visit=locked).first() or Measurement(visit=locked)
    measurement.posyandu_id = locked.posyandu_id
    measurement.person_id = locked.person_id
    measurement.measured_on = locked.date
    for field in NUMERIC_FIELDS:
        value = values[field]
        if field in ("systolic", "diastolic") and value is not None:
            value = int(value)
        setattr(measurement, field, value)
    measurement.length_method = values["length_method"] if values["length_cm"] is not None else ""
    measurement.recorded_by = user
    measurement._history_user = user
    measurement.save()

    measurements_recompute(person_ids=[locked.person_id])
    measurement.refresh_from_db()
    return measurement


def measurement_unchanged(m: Measurement | None, data: Mapping) -> bool:
    """The stored set equals what was sent (a repeated submit): nothing to write."""
    if m is None:
        return False
    for field in NUMERIC_FIELDS:
        try:
            value = parse_decimal(data.get(field))
        except ValueError:
            return False
        if value != getattr(m, field):
            return False
    method = str(data.get("length_method") or "").strip() if m.length_cm is not None else ""
    return method == m.length_method


@transaction.atomic
def visit_measure(
    *, user, visit: Visit, data: Mapping, confirm_unusual: bool = False
) -> Measurement:
    """Step 2 as one state change: save the visit's measurement set (unless the
    same set is sent again) and move the visit on to step 3, in one commit.
    The page, the API and batch sync all call this. Raises what
    ``measurement_record`` raises; nothing is saved then."""
    _require(user, visit.posyandu_id)
    measurement = Measurement.objects.filter(visit_id=visit.pk).first()
    if not measurement_unchanged(measurement, data):
        measurement = measurement_record(
            user=user, visit=visit, data=data, confirm_unusual=confirm_unusual
        )
    if visit.step == Step.MEASURE:
        moved = visit_move(user=user, visit=visit, to=Step.RECORD)
        visit.step, visit.step_changed_at = moved.step, moved.step_changed_at
    return measurement


@transaction.atomic
def measurement_trend_override(
    *, user, measurement: Measurement, trend: str, reason: str
) -> Measurement:
    """Override the computed N/T of a weighing (the KMS curve rule), or clear the
    override with ``trend=""``. Kader or bidan of the posyandu; reason required."""
    _require(user, measurement.posyandu_id)
    _lock_person(measurement.person_id)
    m = Measurement.objects.select_for_update(of=("self",)).get(pk=measurement.pk)
    _require(user, m.posyandu_id)
    trend = (trend or "").strip().upper()
    reason = " ".join((reason or "").split())
    if trend not in ("", *TRENDS):
        raise ValidationError({"trend": "Pilih N (naik) atau T (tidak naik)."})
    if trend:
        errors = {}
        if m.trend not in TRENDS:
            errors["trend"] = (
                "Hanya hasil N atau T yang bisa diubah. B dan O ditentukan dari riwayat "
                "penimbangan (pertama kali ditimbang / bulan lalu tidak ditimbang)."
            )
        if not reason:
            errors["reason"] = (
                "Alasan wajib diisi, misalnya: garis pertumbuhan naik mengikuti kurva."
            )
        elif len(reason) > 200:
            errors["reason"] = "Alasan paling banyak 200 huruf."
        if errors:
            raise ValidationError(errors)
        m.trend_override, m.trend_override_reason, m.trend_override_by = trend, reason, user
    else:
        m.trend_override, m.trend_override_reason, m.trend_override_by = "", "", None
    m._history_user = user
    m.save(update_fields=[
        "trend_override", "trend_override_reason", "trend_override_by", "updated_at",
    ])
    measurements_recompute(person_ids=[m.person_id])
    m.refresh_from_db()
    return m


def measurements_recompute(*, person_ids: Iterable[int]) -> int:
    """Recompute every derived field of every measurement of these persons.

    Works in batches of persons: one query for the persons, one for all their
    measurements, and one UPDATE per 1000 rows whose derived values changed.
    Returns the number of rows updated (rows already up to date are skipped).
    Like ``bulk_update`` it sends no signals and writes no history rows: the
    derived fields are a function of the (history-tracked) measured values."""
    ids = sorted({int(pk) for pk in person_ids})
    rules = _Rules()
    updated = 0
    for start in range(0, len(ids), PERSON_BATCH):
        chunk = ids[start:start + PERSON_BATCH]
        people = {
            p.pk: p for p in Person.objects.filter(pk__in=chunk).only("pk", "sex", "birth_date")
        }
        by_person: dict[int, list[Measurement]] = {pk: [] for pk in people}
        rows = Measurement.objects.filter(person_id__in=chunk).order_by(
            "person_id", "measured_on", "pk"
        )
        for m in rows:
            by_person[m.person_id].append(m)
        changed: list[Measurement] = []
        for pk, history in by_person.items():
            changed += _recompute_person(people[pk], history, rules)
        for i in range(0, len(changed), UPDATE_BATCH):
            updated += _write_derived(changed[i:i + UPDATE_BATCH])
    return updated


def _write_derived(rows: list[Measurement]) -> int:
    """UPDATE ... FROM (VALUES ...): the derived fields of ``rows`` in one statement.

    Used instead of ``bulk_update``, whose CASE WHEN expressions cost about 4 ms
    of Python per row for these 21 fields (over 5 minutes for the demo's 72,000
    measurements); this takes a few seconds. Values go through each field's
    get_db_prep_save, exactly as the ORM would write them."""
    connection = connections[router.db_for_write(Measurement)]
    if connection.vendor != "postgresql":  # the embedded SQLite demo: small, plain ORM
        return Measurement.objects.bulk_update(rows, DERIVED_FIELDS, batch_size=200)
    opts = Measurement._meta
    fields = [opts.pk, *(opts.get_field(name) for name in DERIVED_FIELDS)]
    qn = connection.ops.quote_name
    casts = ", ".join(f"CAST(%s AS {_cast_type(f, connection)})" for f in fields)
    values = ", ".join(f"({casts})" for _ in rows)
    columns = ", ".join(qn(f.column) for f in fields)
    assignments = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields[1:])
    pk = qn(opts.pk.column)
    sql = (
        f"UPDATE {qn(opts.db_table)} AS t SET {assignments} "
        f"FROM (VALUES {values}) AS v ({columns}) WHERE t.{pk} = v.{pk}"
    )
    params = [
        f.get_db_prep_save(getattr(row, f.attname), connection) for row in rows for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _cast_type(field, connection) -> str:
    if field.primary_key:
        return field.rel_db_type(connection)
    return field.db_type(connection)


class _Rules:
    """Reference tables for one recompute run, converted once per version."""

    def __init__(self):
        self._kbm: dict[int, dict[int, int]] = {}
        self._balita: dict[int, tuple[int, int]] = {}

    def kbm(self, on: date) -> dict[int, int]:
        payload = table("kbm", on)
        key = id(payload)
        if key not in self._kbm:
            if payload.get("unit", "gram") != "gram":
                raise ValueError("kbm table: unit must be gram")
            self._kbm[key] = {int(k): int(v) for k, v in payload["by_age_months"].items()}
        return self._kbm[key]

    def balita_months(self, on: date) -> tuple[int, int]:
        payload = table("lifecycle_groups", on)
        key = id(payload)
        if key not in self._balita:
            band = next(g for g in payload["groups"] if g["code"] == "balita")
            self._balita[key] = (band["min_months"], band["max_months"])
        return self._balita[key]

    @staticmethod
    def adult(on: date) -> dict:
        return table("adult_thresholds", on)


def kbm_table(on: date) -> dict[int, int]:
    """The KBM table valid on ``on`` as {age in completed months: minimum gain in
    grams}, exactly as the N/T recompute reads it."""
    return _Rules().kbm(on)


def _snapshot(m: Measurement) -> tuple:
    return tuple(getattr(m, f if f != "trend_override_by" else "trend_override_by_id")
                 for f in DERIVED_FIELDS)


def _month_key(day: date) -> int:
    return day.year * 12 + day.month - 1


def _recompute_person(
    person: Person, history: list[Measurement], rules: _Rules
) -> list[Measurement]:
    """Derive the fields of one person's measurements (in date order); return the changed ones."""
    changed = []
    has_earlier_weight = False
    last_weighing_in_month: dict[int, Measurement] = {}
    for m in history:
        before = _snapshot(m)
        _derive(person, m, rules)
        balita = m.age_months is not None and _in_band(
            m.age_months, rules.balita_months(m.measured_on)
        )
        month = _month_key(m.measured_on)
        previous = last_weighing_in_month.get(month - 1)
        trend = ""
        if balita and m.weight_kg is not None:
            trend = weight_trend(
                age_months=m.age_months, weight_kg=m.weight_kg,
                previous_month_weight_kg=previous.weight_kg if previous else None,
                has_earlier_weight=has_earlier_weight, kbm=rules.kbm(m.measured_on),
            )
        m.trend = trend
        if m.trend_override and trend not in TRENDS:
            # the history changed under the override (e.g. last month's weight removed)
            m.trend_override, m.trend_override_reason, m.trend_override_by = "", "", None
        final = m.final_trend
        m.is_2t = final == "T" and previous is not None and previous.final_trend == "T"
        m.is_bgm = balita and is_bgm(m.bbu_z)
        m.flags = _flags(person, m, balita, rules)
        if m.weight_kg is not None:
            has_earlier_weight = True
            last_weighing_in_month[month] = m  # date order: the latest weighing wins
        if _snapshot(m) != before:
            changed.append(m)
    return changed


def _in_band(months: int, band: tuple[int, int | None]) -> bool:
    low, high = band
    return months >= low and (high is None or months <= high)


def _derive(person: Person, m: Measurement, rules: _Rules) -> None:
    """Age, z-scores, categories and IMT of one measurement (no history needed)."""
    for code in INDEX_FIELDS:
        setattr(m, f"{code}_z", None)
        setattr(m, f"{code}_cat", "")
    m.imt, m.imt_cat = None, ""
    try:
        m.age_days = age_in_days(person.birth_date, m.measured_on)
        m.age_months = age_in_months(person.birth_date, m.measured_on)
    except ValueError:  # measured before the (corrected) birth date
        m.age_days = m.age_months = None
        return
    if m.age_months < ADULT_FROM_MONTHS:
        _child_indices(person, m)
    thresholds = rules.adult(m.measured_on)
    if (
        m.age_months >= thresholds["imt_min_age_years"] * 12
        and m.weight_kg is not None and m.length_cm is not None
        and m.weight_kg > 0 and m.length_cm > 0
    ):
        imt = adult_imt(m.weight_kg, m.length_cm)
        m.imt = float(imt)
        m.imt_cat = _imt_class(imt, thresholds["imt"])


def _child_indices(person: Person, m: Measurement) -> None:
    method = m.length_method or None
    if m.length_cm is not None and method is None:
        # Rows written without a method (bulk imports): assume the expected one.
        method = "lying" if m.age_days < HEIGHT_FROM_DAY else "standing"
    try:
        result = assess(
            sex=person.sex, birth_date=person.birth_date, measured_on=m.measured_on,
            weight_kg=m.weight_kg, length_cm=m.length_cm, method=method,
            head_cm=m.head_cm, muac_cm=m.muac_cm,
        )
    except ValueError:  # a stored value assess cannot use (e.g. zero)
        return
    for code in INDEX_FIELDS:
        index = result.indices.get(code)
        if index is not None:
            setattr(m, f"{code}_z", index.z)
            setattr(m, f"{code}_cat", index.category or "")


def _imt_class(imt: Decimal, bands: list[dict]) -> str:
    for band in bands:
        if "below" in band and band["below"] is not None:
            if imt < Decimal(str(band["below"])):
                return band["code"]
        elif "at_most" in band:
            if band["at_most"] is None or imt <= Decimal(str(band["at_most"])):
                return band["code"]
    return ""


def _flags(person: Person, m: Measurement, balita: bool, rules: _Rules) -> list[str]:
    """Codes that put the person on the bidan's review list (sorted)."""
    if m.age_months is None:
        return []
    t = rules.adult(m.measured_on)
    flags = set()
    if m.is_2t:
        flags.add("2T")
    if m.final_trend == "T":
        flags.add("T")
    if m.is_bgm:
        flags.add("BGM")
    nutrition = m.bbtb_cat or m.imtu_cat  # BB/PB-TB under 5 y; IMT/U otherwise
    if nutrition in ("gizi_buruk", "gizi_kurang", "obesitas"):
        flags.add(nutrition)
    if m.tbu_cat in ("pendek", "sangat_pendek"):
        flags.add(m.tbu_cat)
    years = m.age_months // 12
    if m.muac_cm is not None:
        muac = Decimal(m.muac_cm)
        if balita:
            lila = t["balita_lila_cm"]
            if muac < Decimal(str(lila["merah_below"])):
                flags.add("lila_merah")
            elif muac < Decimal(str(lila["kuning_below"])):
                flags.add("lila_kuning")
        if person.sex == "P" and years >= t["kek_min_age_years"] and muac < Decimal(
            str(t["kek_lila_cm"])
        ):
            flags.add("KEK")
    high = t["bp_high"]
    if (m.systolic is not None and m.systolic >= high["systolic"]) or (
        m.diastolic is not None and m.diastolic >= high["diastolic"]
    ):
        flags.add("hipertensi")
    if m.waist_cm is not None and years >= t["waist_min_age_years"]:
        if Decimal(m.waist_cm) > Decimal(str(t["waist_central_obesity_cm"][person.sex])):
            flags.add("obesitas_sentral")
    if m.imt_cat in ("sangat_kurus", "obesitas"):
        flags.add(f"imt_{m.imt_cat}")
    return sorted(flags)
