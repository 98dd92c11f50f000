"""The children to follow up for a month (the kader's and bidan's list).

A child is listed with every reason that applies:

* from the child's SKDN weighing of the month (the latest weighing, see
  ``reports.figures.skdn``) at one of the posyandu: **2T**, **BGM**,
  **gizi buruk** / **gizi kurang** (BB/PB-TB), **sangat pendek** / **pendek**
  (PB-TB/U);
* **tidak ditimbang**: a balita of S (registered to one of the posyandu,
  0–59 months and living in the area at month end) with no weighing anywhere
  in the month.

The posyandu shown is where the child was weighed this month, else where the
child is registered. Age is in completed months at month end. Three queries:
the weighings with a problem, the balita not weighed, and the posyandu names.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from ilp.lifecycle import completed_months
from ilp.models import Measurement, Person
from posyandu.models import Posyandu
from reports.figures.db import figures_transaction
from reports.figures.skdn import balita_on_q, final_weighings, month_end, month_start
from reports.figures.tables import Column, Row, Table

NUTRITION = {"gizi_buruk": "Gizi buruk", "gizi_kurang": "Gizi kurang"}
STUNTING = {"sangat_pendek": "Sangat pendek", "pendek": "Pendek"}
NOT_WEIGHED = "Tidak ditimbang"
REASON_ORDER = ["2T", "BGM", *NUTRITION.values(), *STUNTING.values(), NOT_WEIGHED]
# Findings the Puskesmas acts on itself (2T and BGM: refer to the Puskesmas;
# gizi buruk: treatment): the names a Puskesmas report lists.
REFER = frozenset({"2T", "BGM", NUTRITION["gizi_buruk"]})

COLUMNS = [
    Column("posyandu", "Posyandu", kind="text"),
    Column("sex", "L/P", kind="text"),
    Column("age_months", "Umur (bulan)"),
    Column("reasons", "Alasan", kind="text"),
    Column("last_weighed", "Terakhir ditimbang", kind="text"),
]


def _last_weighing(end: date):
    return Subquery(
        Measurement.objects.filter(
            person_id=OuterRef("pk"), weight_kg__isnull=False, measured_on__lte=end
        ).order_by("-measured_on").values("measured_on")[:1]
    )


def followup_entries(posyandu_ids, month: date, *, include_not_weighed: bool = True) -> list[dict]:
    """One dict per child: uuid, name, sex, posyandu_id, age_months, reasons,
    last_weighed (date or None); sorted by posyandu, then name. Without
    ``include_not_weighed`` only children with a finding are listed (a child
    with a finding who was not weighed cannot exist)."""
    ids = sorted({int(i) for i in posyandu_ids})
    month = month_start(month)
    end = month_end(month)
    if not ids:
        return []
    problem = (
        Q(is_2t=True) | Q(is_bgm=True)
        | Q(bbtb_cat__in=list(NUTRITION)) | Q(tbu_cat__in=list(STUNTING))
    )
    entries: dict[int, dict] = {}
    with figures_transaction():
        weighed = (
            final_weighings(ids, month, month).filter(problem)
            .values("person_id", "person__uuid", "person__name", "person__sex",
                    "person__birth_date", "posyandu_id", "is_2t", "is_bgm", "bbtb_cat",
                    "tbu_cat", "measured_on")
        )
        for w in weighed:
            reasons = []
            if w["is_2t"]:
                reasons.append("2T")
            if w["is_bgm"]:
                reasons.append("BGM")
            if w["bbtb_cat"] in NUTRITION:
                reasons.append(NUTRITION[w["bbtb_cat"]])
            if w["tbu_cat"] in STUNTING:
                reasons.append(STUNTING[w["tbu_cat"]])
            entries[w["person_id"]] = {
                "uuid": w["person__uuid"], "name": w["person__name"], "sex": w["person__sex"],
                "birth_date": w["person__birth_date"], "posyandu_id": w["posyandu_id"],
                "reasons": reasons, "last_weighed": w["measured_on"],
            }
        weighed_this_month = Measurement.objects.filter(
            person_id=OuterRef("pk"), weight_kg__isnull=False,
            measured_on__gte=month, measured_on__lte=end,
        )
        missing = (
            Person.objects.filter(posyandu_id__in=ids, merged_into__isnull=True)
            .filter(balita_on_q(end))
            .filter(~Exists(weighed_this_month))
            .annotate(last_weighed=_last_weighing(end))
            .values("pk", "uuid", "name", "sex", "birth_date", "posyandu_id", "last_weighed")
        )
        for p in missing if include_not_weighed else ():
            entry = entries.setdefault(p["pk"], {
                "uuid": p["uuid"], "name": p["name"], "sex": p["sex"],
                "birth_date": p["birth_date"], "posyandu_id": p["posyandu_id"],
                "reasons": [], "last_weighed": p["last_weighed"],
            })
            entry["reasons"].append(NOT_WEIGHED)
    names = dict(Posyandu.objects.filter(pk__in={e["posyandu_id"] for e in entries.values()})
                 .values_list("pk", "nama"))
    out = []
    for e in entries.values():
        e["posyandu"] = names.get(e["posyandu_id"], "")
        e["age_months"] = (
            completed_months(e["birth_date"], end) if e["birth_date"] <= end else 0
        )
        out.append(e)
    out.sort(key=lambda e: (e["posyandu"], e["name"], str(e["uuid"])))
    return out


def followup_table(posyandu_ids, month: date, *, include_not_weighed: bool = True,
                   only: frozenset[str] | None = None) -> Table:
    """The children to follow up; with ``only``, those with one of these reasons."""
    entries = followup_entries(posyandu_ids, month, include_not_weighed=include_not_weighed)
    if only is not None:
        entries = [e for e in entries if only & set(e["reasons"])]
    rows = [
        Row(
            label=e["name"],
            values=[
                e["posyandu"], e["sex"], e["age_months"], ", ".join(e["reasons"]),
                e["last_weighed"].strftime("%d-%m-%Y") if e["last_weighed"] else "belum pernah",
            ],
            key=str(e["uuid"]),
        )
        for e in entries
    ]
    counts = dict.fromkeys(REASON_ORDER, 0)
    for row in rows:
        for reason in row.values[3].split(", "):
            counts[reason] += 1
    if not include_not_weighed:
        del counts[NOT_WEIGHED]
    if only is not None:
        counts = {r: n for r, n in counts.items() if r in only}
    summary = "; ".join(f"{r}: {n}" for r, n in counts.items())
    notes = [
        f"Jumlah per alasan: {summary}.",
        "2T, BGM, gizi buruk/kurang (BB/PB-TB) dan (sangat) pendek dari penimbangan "
        "terakhir bulan ini; tidak ditimbang: balita sasaran (S) tanpa penimbangan bulan ini.",
    ]
    title = "Balita yang perlu ditindaklanjuti"
    if only is not None:
        title = "Balita yang perlu dirujuk (" + ", ".join(
            r for r in REASON_ORDER if r in only) + ")"
        notes.append("Balita dengan temuan lain (gizi kurang, pendek) atau yang tidak "
                     "ditimbang dihitung per posyandu di tabel tindak lanjut dan disebut "
                     "namanya di laporan tiap posyandu dan di dasbor.")
    elif not include_not_weighed:
        notes.append("Balita yang hanya tidak ditimbang tidak dicantumkan di sini; "
                     "lihat laporan tiap posyandu.")
    return Table(
        code="followup", title=title, label_header="Nama",
        columns=list(COLUMNS), rows=rows, notes=notes,
    )


def followup_counts(posyandu_ids, month: date) -> dict[int, dict[str, int]]:
    """{posyandu id: {reason: children}} for every id, in two grouped queries
    (a child with two reasons counts in both). The posyandu is where the child
    was weighed this month; "Tidak ditimbang" where the child is registered."""
    ids = sorted({int(i) for i in posyandu_ids})
    month = month_start(month)
    end = month_end(month)
    out = {pid: dict.fromkeys(REASON_ORDER, 0) for pid in ids}
    if not ids:
        return out
    reason_q = {
        "2T": Q(is_2t=True),
        "BGM": Q(is_bgm=True),
        **{label: Q(bbtb_cat=code) for code, label in NUTRITION.items()},
        **{label: Q(tbu_cat=code) for code, label in STUNTING.items()},
    }
    aggregates = {f"r{i}": Count("pk", filter=q)  # one weighing per child
                  for i, q in enumerate(reason_q.values())}
    with figures_transaction():
        for row in (final_weighings(ids, month, month).order_by().values("posyandu_id")
                    .annotate(**aggregates)):
            for i, reason in enumerate(reason_q):
                out[row["posyandu_id"]][reason] = row[f"r{i}"]
        weighed_this_month = Measurement.objects.filter(
            person_id=OuterRef("pk"), weight_kg__isnull=False,
            measured_on__gte=month, measured_on__lte=end,
        )
        missing = (
            Person.objects.filter(posyandu_id__in=ids, merged_into__isnull=True)
            .filter(balita_on_q(end)).filter(~Exists(weighed_this_month))
            .order_by().values("posyandu_id").annotate(n=Count("pk"))
        )
        for row in missing:
            out[row["posyandu_id"]][NOT_WEIGHED] = row["n"]
    return out
