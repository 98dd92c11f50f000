"""What a report shows: ``report_tables(kind, level, posyandu_ids, month)``.

Levels (``reports.areas.LEVELS``):

* ``posyandu``: the posyandu's own tables. SKDN as rows S..BGM by L / P /
  Jumlah, the indicators by L / P / Jumlah, the full follow-up list; the SIP
  and recap tables have one row (the posyandu).
* ``puskesmas``: one row per posyandu (by name) plus a total row
  (``is_total``); the follow-up list keeps children with a finding (2T, BGM,
  gizi buruk/kurang, pendek) and a table counts every reason per posyandu.
* ``kabupaten``: one row per Puskesmas plus a total row; follow-up counts per
  Puskesmas, no list of names.

Totals are computed from the summed counts (percentages are never summed or
averaged). The ids must already be scoped (see ``reports.figures``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from posyandu.models import Posyandu
from reports.areas import LEVELS
from reports.figures.engine import count_metrics
from reports.figures.followup import REASON_ORDER, REFER, followup_counts, followup_table
from reports.figures.recap import recap_sections
from reports.figures.sections import Section, Unit, section_table
from reports.figures.sip import immunisation_counts, sip_sections, skdn_counts, staff_counts
from reports.figures.skdn import (
    INDICATORS,
    Skdn,
    add_all,
    add_months,
    month_start,
    percent,
    skdn,
    skdn_by_month,
)
from reports.figures.tables import Column, Row, Table

KINDS = {"skdn": "Laporan SKDN", "sip": "SIP (format 6 dan 7)", "ilp": "Rekap ILP bulanan"}

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]

SKDN_ROWS = [
    ("S", "S", "S: balita sasaran (0–59 bulan)"),
    ("K", "K", "K: punya buku KIA/KMS"),
    ("D", "D", "D: ditimbang bulan ini"),
    ("B", "B", "B: baru pertama kali ditimbang"),
    ("O", "O", "O: tidak ditimbang bulan lalu"),
    ("N", "N", "N: berat badan naik"),
    ("T", "T", "T: berat badan tidak naik"),
    ("D_prime", "D′", "D′: ditimbang bulan lalu dan bulan ini (N + T)"),
    ("T2", "2T", "2T: dua kali berturut-turut tidak naik"),
    ("BGM", "BGM", "BGM: di bawah garis merah"),
]
SKDN_NOTES = [
    "S dan K: umur dan tempat tinggal pada akhir bulan. D: anak yang ditimbang bulan ini "
    "(umur 0–59 bulan saat ditimbang) di posyandu ini atau saat kunjungan rumah, dihitung "
    "sekali dengan penimbangan terakhirnya bulan ini; anak yang pindah sesudah ditimbang "
    "tetap dihitung di D tetapi tidak di S.",
    "D = B + O + N + T.",
]


def month_label(month: date) -> str:
    return f"{MONTHS_ID[month.month - 1]} {month.year}"


# --------------------------------------------------------------------------- units


def units_for(level: str, posyandu_ids) -> tuple[list[Unit], str, str | None]:
    """(rows, label header, total label or None) for a level."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    posyandu = list(
        Posyandu.objects.filter(pk__in=set(posyandu_ids))
        .select_related("desa__puskesmas").order_by("nama", "pk")
    )
    if level == "kabupaten":
        groups: dict[int, list[int]] = defaultdict(list)
        names = {}
        for p in posyandu:
            groups[p.desa.puskesmas_id].append(p.pk)
            names[p.desa.puskesmas_id] = str(p.desa.puskesmas)
        units = [Unit(str(pk), names[pk], tuple(ids))
                 for pk, ids in sorted(groups.items(), key=lambda kv: names[kv[0]])]
        return units, "Puskesmas", "Jumlah kabupaten/kota"
    units = [Unit(str(p.pk), p.nama, (p.pk,)) for p in posyandu]
    if level == "puskesmas":
        return units, "Posyandu", "Jumlah Puskesmas"
    if len(units) > 1:  # a posyandu report over several ids: show their sum too
        return units, "Posyandu", "Jumlah"
    return units, "Posyandu", None


# --------------------------------------------------------------------------- SKDN


def _skdn_by_sex_table(row: Skdn) -> Table:
    columns = [Column("l", "L"), Column("p", "P"), Column("j", "Jumlah")]
    rows = []
    for attr, key, label in SKDN_ROWS:
        c = getattr(row, attr)
        rows.append(Row(label, [c.L, c.P, c.total], key=key))
    return Table("skdn", "SKDN", "Kode", columns, rows, notes=list(SKDN_NOTES))


def _indicators_by_sex_table(row: Skdn) -> Table:
    columns = [Column("l", "L", kind="pct"), Column("p", "P", kind="pct"),
               Column("j", "Jumlah", kind="pct")]
    by = {sex: row.indicators(sex) for sex in ("L", "P", None)}
    rows = [Row(label, [by["L"][key], by["P"][key], by[None][key]], key=key)
            for key, label, _n, _d in INDICATORS]
    return Table("skdn_indikator", "Indikator SKDN (%)", "Indikator", columns, rows,
                 notes=["Kosong bila pembaginya nol."])


def _skdn_units_table(per: dict[int, Skdn], units, label_header, total_label) -> Table:
    columns = []
    for _attr, key, _label in SKDN_ROWS:
        slug = key.lower().replace("′", "_prime")
        columns += [Column(f"{slug}_l", "L", key), Column(f"{slug}_p", "P", key),
                    Column(f"{slug}_j", "J", key)]

    def values(row: Skdn) -> list:
        out = []
        for attr, _key, _label in SKDN_ROWS:
            c = getattr(row, attr)
            out += [c.L, c.P, c.total]
        return out

    rows = []
    for u in units:
        rows.append(Row(u.label, values(add_all(per[i] for i in u.posyandu_ids)), key=u.key))
    if total_label:
        rows.append(Row(total_label, values(add_all(per.values())), is_total=True, key="total"))
    return Table("skdn", "SKDN", label_header, columns, rows, notes=list(SKDN_NOTES))


def _indicators_units_table(per: dict[int, Skdn], units, label_header, total_label) -> Table:
    columns = [Column(key, key, "Indikator (%)", "pct") for key, _l, _n, _d in INDICATORS]

    def values(row: Skdn) -> list:
        ind = row.indicators()
        return [ind[key] for key, _l, _n, _d in INDICATORS]

    rows = [Row(u.label, values(add_all(per[i] for i in u.posyandu_ids)), key=u.key)
            for u in units]
    if total_label:
        rows.append(Row(total_label, values(add_all(per.values())), is_total=True, key="total"))
    return Table("skdn_indikator", "Indikator SKDN (%)", label_header, columns, rows,
                 notes=["Dihitung dari jumlah L + P; kosong bila pembaginya nol."])


def _trend_table(trend: list[tuple[date, Skdn]]) -> Table:
    columns = [Column("s", "S"), Column("k", "K"), Column("d", "D"), Column("n", "N"),
               Column("ds", "D/S", kind="pct"), Column("nd", "N/D", kind="pct")]
    rows = []
    for m, row in trend:
        rows.append(Row(month_label(m), [
            row.S.total, row.K.total, row.D.total, row.N.total,
            percent(row.D.total, row.S.total), percent(row.N.total, row.D.total),
        ], key=f"{m:%Y-%m}"))
    return Table("skdn_trend", "SKDN 12 bulan terakhir", "Bulan", columns, rows)


def _followup_counts_table(ids, month, units, label_header, total_label) -> Table:
    per = followup_counts(ids, month)
    columns = [Column(f"r{i}", reason, "Jumlah anak") for i, reason in enumerate(REASON_ORDER)]

    def values(pids) -> list:
        return [sum(per[p][reason] for p in pids) for reason in REASON_ORDER]

    rows = [Row(u.label, values(u.posyandu_ids), key=u.key) for u in units]
    if total_label:
        rows.append(Row(total_label, values(list(per)), is_total=True, key="total"))
    return Table("followup_jumlah", "Jumlah balita yang perlu ditindaklanjuti", label_header,
                 columns, rows, notes=["Seorang anak dengan dua alasan dihitung di keduanya."])


def skdn_tables(level, ids, month) -> list[Table]:
    units, header, total = units_for(level, ids)
    # the month and the eleven before it, in the same two queries
    by_month = skdn_by_month(ids, add_months(month, -11), month)
    per = by_month[month]
    trend = _trend_table([(m, add_all(rows.values())) for m, rows in by_month.items()])
    if level == "posyandu" and len(units) == 1:
        row = per[int(units[0].key)]
        return [_skdn_by_sex_table(row), _indicators_by_sex_table(row), trend,
                followup_table(ids, month)]
    tables = [
        _skdn_units_table(per, units, header, total),
        _indicators_units_table(per, units, header, total),
        trend,
        _followup_counts_table(ids, month, units, header, total),
    ]
    if level == "puskesmas":  # names of the children the Puskesmas itself acts on
        tables.append(followup_table(ids, month, include_not_weighed=False, only=REFER))
    return tables


# --------------------------------------------------------------------------- SIP and recap


def _sections_tables(sections: list[Section], counts, level, ids) -> list[Table]:
    units, header, total = units_for(level, ids)
    return [section_table(s, counts, units, label_header=header, total_label=total)
            for s in sections]


def _merge(*parts: dict) -> dict:
    out: dict = defaultdict(dict)
    for part in parts:
        for pid, values in part.items():
            out[pid].update(values)
    return out


def sip_tables(level, ids, month) -> list[Table]:
    sections = sip_sections(month)
    counts = _merge(
        count_metrics(ids, month, [m for s in sections for m in s.metrics]),
        staff_counts(ids, month),
        immunisation_counts(ids, month),
        skdn_counts(skdn(ids, month)),
    )
    return _sections_tables(sections, counts, level, ids)


def recap_tables(level, ids, month) -> list[Table]:
    sections = recap_sections(month)
    counts = count_metrics(ids, month, [m for s in sections for m in s.metrics])
    return _sections_tables(sections, counts, level, ids)


def report_tables(kind: str, level: str, posyandu_ids, month: date) -> list[Table]:
    """The tables of one report (kind in KINDS, level in LEVELS)."""
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}")
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    ids = sorted({int(i) for i in posyandu_ids})
    month = month_start(month)
    builder = {"skdn": skdn_tables, "sip": sip_tables, "ilp": recap_tables}[kind]
    return builder(level, ids, month)
