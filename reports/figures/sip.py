"""SIP (Sistem Informasi Posyandu), the classic monthly formats 6 and 7
(research-notes §3.1), from what the system records.

Format 6, visitors and staff:

* Visitors are distinct persons with a visit at the posyandu in the month,
  by age at month end: bayi 0–11 months ("0–12 bulan" on the form), balita
  12–59 months, WUS = women 15–49 years, ibu hamil (a pregnancy running in
  the month). Births: children registered to the posyandu born in the month.
  Deaths: registered bayi (under 12 months at the start of the month) and
  women pregnant or in nifas in the month who died in the month.
* Staff present are derived, not typed: every user who recorded something of
  that month at the posyandu (registered a visit, measured, examined, gave an
  immunisation or supplement, did an ANC check, a screening, counselling or
  a referral) is counted once per posyandu, as **kader** if they hold a kader
  membership, else as **medis & paramedis** if they hold a bidan, Puskesmas
  or Dinas Kesehatan membership (administrators are not counted).

Format 7, activity results: ibu hamil (sasaran, examined: an ANC check or an
examination at a visit, TTD given), SKDN S/K/D/N by sex (``reports.figures.skdn``),
vitamin A and PMT given to balita, and the immunisation doses given at the
posyandu per vaccine of the ``immunisation_schedule`` table, by sex.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, F, Q

from ilp.lifecycle import months_before
from ilp.models import (
    AncCheck,
    Counselling,
    Examination,
    Immunisation,
    Measurement,
    Referral,
    Screening,
    Supplement,
    Visit,
)
from posyandu.models import Membership, Role
from posyandu.reference import table
from reports.figures.engine import Ctx, age_q, band, living_q, nifas_q, pregnant_q, sex_q
from reports.figures.recap import supplement_q
from reports.figures.sections import Section
from reports.figures.skdn import SexCounts, Skdn, month_end

WUS_YEARS = (15, 49)  # wanita usia subur (Kemenkes)
STAFF_KADER = "sip6.staff_kader"
STAFF_NAKES = "sip6.staff_nakes"
NAKES_ROLES = (Role.BIDAN, Role.PUSKESMAS, Role.DINKES)


def sip6_section(month: date) -> Section:
    end = month_end(month)
    _bayi_min, bayi_max = band("bayi", end)
    _m, balita_max = band("balita", end)
    sec = Section("sip6", "SIP format 6: pengunjung, petugas, kelahiran dan kematian")

    def bayi(c: Ctx):
        return age_q(c, 0, bayi_max)

    def balita(c: Ctx):
        return age_q(c, bayi_max + 1, balita_max)

    def wus(c: Ctx):
        return sex_q(c, "P") & age_q(c, WUS_YEARS[0] * 12, WUS_YEARS[1] * 12 + 11)

    sec.add_by_sex("bayi", "Pengunjung bayi (0–12 bl)", sec.metric("bayi", "visit", bayi))
    sec.add_by_sex("balita", "Pengunjung balita (1–5 th)", sec.metric("balita", "visit", balita))
    sec.add("wus", "WUS", "Pengunjung", sec.metric("wus", "visit", wus))
    sec.add("hamil", "Ibu hamil", "Pengunjung",
            sec.metric("hamil", "visit", lambda c: sex_q(c, "P") & pregnant_q(c)))

    def born(c: Ctx):
        return Q(birth_date__gte=c.start, birth_date__lte=c.end)

    def died(c: Ctx):
        return Q(died_on__gte=c.start, died_on__lte=c.end)

    sec.add_by_sex("lahir", "Bayi lahir", sec.metric("lahir", "person", born))
    sec.add_by_sex("bayi_mati", "Bayi meninggal", sec.metric(
        "bayi_mati", "person",
        lambda c: died(c) & Q(birth_date__gt=months_before(c.start, 12))))
    sec.add("ibu_mati", "Ibu hamil/bersalin/nifas meninggal", "Kematian", sec.metric(
        "ibu_mati", "person", lambda c: died(c) & sex_q(c, "P") & (pregnant_q(c) | nifas_q(c))))
    sec.add("staff_kader", "Kader", "Petugas hadir", STAFF_KADER)
    sec.add("staff_nakes", "Medis & paramedis", "Petugas hadir", STAFF_NAKES)
    sec.notes = [
        "PUS (pasangan usia subur) dan ibu menyusui belum dicatat.",
        "Petugas PLKB belum dicatat.",
        "Petugas hadir dihitung dari pengguna yang mencatat kunjungan, pengukuran, "
        "pemeriksaan, imunisasi, suplemen, skrining, penyuluhan atau rujukan bulan ini "
        "di posyandu: kader bila punya peran kader, selain itu medis & paramedis "
        "(bidan, petugas Puskesmas/Dinkes).",
    ]
    return sec


def sip7_section(month: date) -> Section:
    end = month_end(month)
    _m, balita_max = band("balita", end)
    sec = Section("sip7", "SIP format 7: hasil kegiatan posyandu")

    def hamil(c: Ctx):
        return sex_q(c, "P") & pregnant_q(c)

    def balita(c: Ctx):
        return age_q(c, 0, balita_max)

    sec.add("hamil_s", "Jumlah", "Ibu hamil",
            sec.metric("hamil_s", "person", lambda c: living_q(c) & hamil(c)))
    sec.add("hamil_periksa", "Diperiksa", "Ibu hamil", sec.metric(
        "hamil_periksa", "visit",
        lambda c: hamil(c) & (Q(anc_check__isnull=False) | Q(examination__isnull=False))))
    sec.add("hamil_ttd", "Mendapat TTD (Fe)", "Ibu hamil", sec.metric(
        "hamil_ttd", "visit",
        lambda c: hamil(c) & (supplement_q(Supplement.Kind.TTD)
                              | Q(anc_check__ttd_tablets__gt=0))))
    for letter in ("S", "K", "D", "N"):
        sec.add_by_sex(f"skdn_{letter.lower()}", f"Penimbangan balita: {letter}",
                       f"sip7.skdn_{letter}", total=True)
    sec.add_by_sex("vita", "Balita mendapat vitamin A", sec.metric(
        "vita", "visit", lambda c: balita(c) & supplement_q(
            Supplement.Kind.VITAMIN_A_BIRU, Supplement.Kind.VITAMIN_A_MERAH)))
    sec.add_by_sex("pmt", "Balita mendapat PMT", sec.metric(
        "pmt", "visit", lambda c: balita(c) & supplement_q(Supplement.Kind.PMT)))
    sec.notes = [
        "Ibu menyusui, akseptor KB, imunisasi TT ibu hamil, balita diare dan oralit "
        "belum dicatat.",
        "S, K, D, N sama dengan laporan SKDN bulan ini.",
    ]
    return sec


def sip7_immunisation_section(month: date) -> Section:
    doses = table("immunisation_schedule", month_end(month))["doses"]
    sec = Section("sip7_imunisasi", "SIP format 7: bayi/balita diimunisasi")
    for dose in doses:
        sec.add_by_sex(_vaccine_key(dose["code"]), dose["label"], _vaccine_metric(dose["code"]))
    sec.notes = [
        "Dosis yang diberikan di posyandu pada hari kunjungan; dosis dari buku KIA "
        "(diberikan di tempat lain) tidak dihitung.",
    ]
    return sec


def _vaccine_key(code: str) -> str:
    return "imun_" + code.lower().replace("-", "_")


def _vaccine_metric(code: str) -> str:
    return f"sip7_imunisasi.{_vaccine_key(code)}"


def immunisation_counts(posyandu_ids, month: date) -> dict[int, dict[str, SexCounts]]:
    """Doses given at the posyandu on a visit day of the month, per vaccine and
    sex, in one grouped query (one dose per person and vaccine)."""
    ids = sorted({int(i) for i in posyandu_ids})
    start, end = month.replace(day=1), month_end(month)
    raw: dict = defaultdict(lambda: defaultdict(dict))
    rows = (
        Immunisation.objects.filter(
            posyandu_id__in=ids, given_on__gte=start, given_on__lte=end,
            visit__date=F("given_on"),
        )
        .order_by().values("posyandu_id", "person__sex", "vaccine").annotate(n=Count("pk"))
    )
    for row in rows:
        raw[row["posyandu_id"]][_vaccine_metric(row["vaccine"])][row["person__sex"]] = row["n"]
    return {
        pid: {key: SexCounts(v.get("L", 0), v.get("P", 0)) for key, v in raw[pid].items()}
        for pid in ids
    }


def sip_sections(month: date) -> list[Section]:
    return [sip6_section(month), sip7_section(month), sip7_immunisation_section(month)]


# --------------------------------------------------------------------------- extra counts


def staff_counts(posyandu_ids, month: date) -> dict[int, dict[str, SexCounts]]:
    """{posyandu id: {STAFF_KADER, STAFF_NAKES: count}} (the count in ``.L``:
    staff are not split by sex). Two queries: a UNION of who recorded what,
    then their memberships."""
    ids = sorted({int(i) for i in posyandu_ids})
    start, end = month.replace(day=1), month_end(month)
    in_month = {"visit__date__gte": start, "visit__date__lte": end, "posyandu_id__in": ids}
    sources = [
        Visit.objects.filter(date__gte=start, date__lte=end, posyandu_id__in=ids)
        .values_list("posyandu_id", "registered_by_id"),
        Measurement.objects.filter(**in_month).values_list("posyandu_id", "recorded_by_id"),
        Examination.objects.filter(**in_month).values_list("posyandu_id", "examined_by_id"),
        AncCheck.objects.filter(**in_month).values_list("posyandu_id", "examined_by_id"),
        Immunisation.objects.filter(**in_month).values_list("posyandu_id", "given_by_id"),
        Supplement.objects.filter(**in_month).values_list("posyandu_id", "given_by_id"),
        Screening.objects.filter(**in_month).values_list("posyandu_id", "screened_by_id"),
        Counselling.objects.filter(**in_month).values_list("posyandu_id", "counselled_by_id"),
        Referral.objects.filter(**in_month).values_list("posyandu_id", "made_by_id"),
    ]
    pairs = set(sources[0].order_by().union(*(s.order_by() for s in sources[1:])))
    users = {u for _p, u in pairs if u is not None}
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in Membership.objects.filter(
        user_id__in=users, is_active=True
    ).values_list("user_id", "role"):
        roles[user_id].add(role)
    out = {pid: {STAFF_KADER: SexCounts(), STAFF_NAKES: SexCounts()} for pid in ids}
    for pid, user_id in pairs:
        if user_id is None:
            continue
        if Role.KADER in roles[user_id]:
            out[pid][STAFF_KADER] += SexCounts(1, 0)
        elif roles[user_id] & set(NAKES_ROLES):
            out[pid][STAFF_NAKES] += SexCounts(1, 0)
    return out


def skdn_counts(skdn_rows: dict[int, Skdn]) -> dict[int, dict[str, SexCounts]]:
    """S, K, D, N of the SKDN figures as format-7 metric counts."""
    return {
        pid: {f"sip7.skdn_{letter}": getattr(row, letter) for letter in ("S", "K", "D", "N")}
        for pid, row in skdn_rows.items()
    }
