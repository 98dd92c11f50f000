"""The ILP monthly recap ("Rekapitulasi Hasil Pemeriksaan", research-notes
§3.2): one table per life-cycle group, with the columns the system records.

Rules:

* Groups by **age at month end** (``lifecycle_groups`` table valid then):
  bayi 0–11 months, balita 12–59 months (so bayi + balita + apras add up; the
  SKDN S uses 0–59), apras 60–71, usia sekolah 6–14 y, remaja 15–18 y,
  dewasa 19–59 y, lansia 60+. Ibu hamil / nifas are statuses on some day of
  the month (a pregnancy running in the month; nifas = within ``nifas_days``
  after its end).
* **Sasaran**: living in the posyandu's area at month end (registered there,
  not moved, not dead, not merged). **Tidak datang**: sasaran with no visit
  anywhere in the month. **Datang**: distinct persons with a visit (posyandu
  day or home visit) at the posyandu in the month, whoever they are
  registered to.
* **Measurement classes** (BB/U, PB-TB/U, BB/PB-TB, IMT, LiLA, lingkar
  perut, N/T) come from each person's latest measurement of the month at the
  posyandu, so the classes of one index add up to the persons measured.
* **Examinations, screenings, services, referrals**: persons with at least one
  such record at a visit of the month at the posyandu (a person examined
  twice with different results counts in both classes). Blood pressure is the
  bidan's examination when there is one, else the kader's step-2 reading,
  classed with the ``adult_thresholds`` table. Referrals are those made at a
  visit (not cancelled). Immunisations are doses given at the posyandu on
  the visit day (doses copied from the buku KIA with an earlier date are
  not counted).

Columns of the paper forms the system does not record are listed in each
table's notes, never shown as zeros.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast

from ilp.models import Immunisation, Referral, Screening, Supplement
from posyandu.reference import table
from reports.figures.engine import (
    Ctx,
    age_q,
    band,
    band_q,
    living_q,
    nifas_q,
    pregnant_q,
    sex_q,
)
from reports.figures.sections import Section
from reports.figures.skdn import month_end

# --------------------------------------------------------------------------- visit facts


def supplement_q(*kinds: str) -> Q:
    return Q(Exists(Supplement.objects.filter(visit_id=OuterRef("pk"), kind__in=kinds)))


def immunised_q() -> Q:
    return Q(Exists(Immunisation.objects.filter(visit_id=OuterRef("pk"),
                                                given_on=OuterRef("date"))))


def referred_q() -> Q:
    return Q(Exists(Referral.objects.filter(visit_id=OuterRef("pk")).exclude(
        status=Referral.Status.BATAL)))


def counselled_q() -> Q:
    return Q(counselling__isnull=False)


def screening_q(instrument: str, **filters) -> Q:
    return Q(Exists(Screening.objects.filter(
        visit_id=OuterRef("pk"), instrument=instrument, **filters)))


def skilas_domain_q(domain: str) -> Q:
    # details = {"positive_domains": [...]}; text search keeps this portable
    # (JSON containment is not available on the SQLite demo database).
    rows = Screening.objects.annotate(details_text=Cast("details", TextField())).filter(
        visit_id=OuterRef("pk"), instrument="skilas", details_text__contains=f'"{domain}"'
    )
    return Q(Exists(rows))


def bp_q(level: str, thresholds: dict) -> Q:
    """Blood pressure class at a visit: the bidan's examination class when the
    examination has a reading, else the kader's step-2 reading."""
    high, low = thresholds["bp_high"], thresholds["bp_low"]
    s, d = "measurement__systolic", "measurement__diastolic"
    reading = Q(**{f"{s}__isnull": False, f"{d}__isnull": False})
    is_high = Q(**{f"{s}__gte": high["systolic"]}) | Q(**{f"{d}__gte": high["diastolic"]})
    not_high = Q(**{f"{s}__lt": high["systolic"], f"{d}__lt": high["diastolic"]})
    is_low = Q(**{f"{s}__lt": low["systolic"]}) | Q(**{f"{d}__lt": low["diastolic"]})
    measured = {
        "tinggi": reading & is_high,
        "rendah": reading & not_high & is_low,
        "normal": reading & not_high
        & Q(**{f"{s}__gte": low["systolic"], f"{d}__gte": low["diastolic"]}),
    }[level]
    return Q(examination__bp_class=level) | (
        Q(examination__systolic__isnull=True) & measured
    )


def trend_q(letter: str) -> Q:
    return Q(trend_override=letter) | Q(trend_override="", trend=letter)


def waist_high_q(thresholds: dict) -> Q:
    cut = thresholds["waist_central_obesity_cm"]
    return Q(person__sex="L", waist_cm__gt=cut["L"]) | Q(person__sex="P", waist_cm__gt=cut["P"])


# --------------------------------------------------------------------------- sections


def _sasaran(sec: Section, key: str, group_q):
    """Sasaran, datang and tidak datang columns for one group."""
    s = sec.metric(f"{key}_s", "person", lambda c: living_q(c) & group_q(c))
    d = sec.metric(f"{key}_d", "visit", group_q)
    t = sec.metric(f"{key}_t", "absent", lambda c: living_q(c) & group_q(c))
    return s, d, t


def ibu_section(month: date) -> Section:
    end = month_end(month)
    th = table("adult_thresholds", end)
    sec = Section("recap_ibu", "Ibu hamil, nifas dan menyusui")

    def hamil(c: Ctx):
        return sex_q(c, "P") & pregnant_q(c)

    def nifas(c: Ctx):
        return sex_q(c, "P") & nifas_q(c)

    groups = [("hamil", "Ibu hamil", hamil), ("nifas", "Ibu nifas", nifas)]
    keys = {k: _sasaran(sec, k, q) for k, _label, q in groups}
    for i, title in enumerate(("Sasaran", "Datang", "Tidak datang")):
        for k, label, _q in groups:
            sec.add(f"{k}_{('s', 'd', 't')[i]}", label, title, keys[k][i])
    kek = th["kek_lila_cm"]
    lila = sec.metric("lila_hijau", "measure", lambda c: hamil(c) & Q(muac_cm__gte=kek))
    sec.add("lila_hijau", f"Hijau (≥ {kek:g} cm)".replace(".", ","), "LiLA ibu hamil", lila)
    lila = sec.metric("lila_merah", "measure", lambda c: hamil(c) & Q(muac_cm__lt=kek))
    sec.add("lila_merah", "Merah (KEK)", "LiLA ibu hamil", lila)
    td = sec.metric("td_hijau", "visit",
                    lambda c: hamil(c) & (bp_q("normal", th) | bp_q("rendah", th)))
    sec.add("td_hijau", "Hijau", "Tekanan darah ibu hamil", td)
    td = sec.metric("td_merah", "visit", lambda c: hamil(c) & bp_q("tinggi", th))
    sec.add("td_merah", "Merah (≥ 140/90)", "Tekanan darah ibu hamil", td)
    hb = sec.metric("anemia", "visit", lambda c: hamil(c) & Q(examination__anaemia=True))
    sec.add("anemia", "Anemia", "Hb ibu hamil", hb)
    hb = sec.metric("tidak_anemia", "visit", lambda c: hamil(c) & Q(examination__anaemia=False))
    sec.add("tidak_anemia", "Tidak anemia", "Hb ibu hamil", hb)
    services = [
        ("anc", "Diperiksa (ANC)", lambda c: hamil(c) & Q(anc_check__isnull=False)),
        ("ttd", "Mendapat TTD", lambda c: hamil(c) & (
            supplement_q(Supplement.Kind.TTD) | Q(anc_check__ttd_tablets__gt=0))),
        ("pmt", "Mendapat PMT", lambda c: hamil(c) & supplement_q(Supplement.Kind.PMT)),
        ("kelas", "Ikut kelas ibu hamil", lambda c: hamil(c) & Q(anc_check__kelas_ibu=True)),
        ("vita_nifas", "Vitamin A ibu nifas",
         lambda c: nifas(c) & supplement_q(Supplement.Kind.VITAMIN_A_MERAH)),
        ("edukasi", "Edukasi", lambda c: (hamil(c) | nifas(c)) & counselled_q()),
    ]
    for key, label, q in services:
        sec.add(key, label, "Pelayanan", sec.metric(key, "visit", q))
    for k, label, q in groups:
        sec.add(f"rujuk_{k}", label, "Dirujuk",
                sec.metric(f"rujuk_{k}", "visit", lambda c, q=q: q(c) & referred_q()))
    sec.notes = [
        "Ibu menyusui belum dicatat (hanya ibu nifas, 42 hari setelah persalinan).",
        "Kolom BB ibu hamil hijau/merah belum dicatat (grafik kenaikan BB kehamilan).",
        "Kolom bergejala TBC belum dicatat.",
        "Kolom TTD dan PMT diminum/dimakan setiap hari belum dicatat.",
        "Kolom KB pasca persalinan belum dicatat.",
    ]
    return sec


def anak_section(month: date) -> Section:
    end = month_end(month)
    th = table("adult_thresholds", end)
    bayi_min, bayi_max = band("bayi", end)
    _b_min, balita_max = band("balita", end)
    apras_min, apras_max = band("apras", end)
    sec = Section("recap_anak", "Bayi, balita dan anak prasekolah (apras)")
    groups = [
        ("bayi", f"Bayi ({bayi_min}–{bayi_max} bl)", lambda c: age_q(c, bayi_min, bayi_max)),
        ("balita", f"Balita ({bayi_max + 1}–{balita_max} bl)",
         lambda c: age_q(c, bayi_max + 1, balita_max)),
        ("apras", f"Apras ({apras_min}–{apras_max} bl)", lambda c: age_q(c, apras_min, apras_max)),
    ]

    def anak(c: Ctx):
        return age_q(c, bayi_min, apras_max)

    keys = {k: _sasaran(sec, k, q) for k, _label, q in groups}
    for k, label, _q in groups:
        sec.add_by_sex(f"{k}_s", f"Sasaran {label.lower()}", keys[k][0])
    for k, label, _q in groups:
        sec.add_by_sex(f"{k}_d", f"Datang {label.lower()}", keys[k][1])
    for k, label, _q in groups:
        sec.add(f"{k}_t", label.split(" (")[0], "Tidak datang", keys[k][2])

    def measure(key, label, group, q):
        sec.add(key, label, group, sec.metric(key, "measure", lambda c: anak(c) & q))

    measure("naik", "Naik (N)", "Penimbangan", trend_q("N"))
    measure("tidak_naik", "Tidak naik (T)", "Penimbangan", trend_q("T"))
    for code, label in (("sangat_kurang", "Sangat kurang"), ("kurang", "Kurang"),
                        ("normal", "Normal"), ("risiko_lebih", "Risiko lebih")):
        measure(f"bbu_{code}", label, "BB/U", Q(bbu_cat=code))
    for code, label in (("sangat_pendek", "Sangat pendek"), ("pendek", "Pendek"),
                        ("normal", "Normal"), ("tinggi", "Tinggi")):
        measure(f"tbu_{code}", label, "PB/U atau TB/U", Q(tbu_cat=code))
    for code, label in (("gizi_buruk", "Gizi buruk"), ("gizi_kurang", "Gizi kurang"),
                        ("gizi_baik", "Gizi baik"), ("berisiko_gizi_lebih", "Berisiko gizi lebih"),
                        ("gizi_lebih", "Gizi lebih"), ("obesitas", "Obesitas")):
        measure(f"bbtb_{code}", label, "BB/PB-TB (apras: IMT/U)",
                Q(bbtb_cat=code) | Q(bbtb_cat="", imtu_cat=code))
    measure("lk_normal", "Normal", "Lingkar kepala", Q(lku_cat="normal"))
    measure("lk_abnormal", "Mikro/makrosefali", "Lingkar kepala",
            Q(lku_cat__in=["mikrosefali", "makrosefali"]))
    lila = th["balita_lila_cm"]
    kuning, merah = lila["kuning_below"], lila["merah_below"]
    measure("lila_hijau", "Hijau", "LiLA (6–59 bl)", Q(muac_cm__gte=kuning))
    measure("lila_kuning", "Kuning", "LiLA (6–59 bl)", Q(muac_cm__lt=kuning, muac_cm__gte=merah))
    measure("lila_merah", "Merah", "LiLA (6–59 bl)", Q(muac_cm__lt=merah))
    services = [
        ("imunisasi", "Imunisasi", immunised_q()),
        ("vita_biru", "Vitamin A biru", supplement_q(Supplement.Kind.VITAMIN_A_BIRU)),
        ("vita_merah", "Vitamin A merah", supplement_q(Supplement.Kind.VITAMIN_A_MERAH)),
        ("obat_cacing", "Obat cacing", supplement_q(Supplement.Kind.OBAT_CACING)),
        ("pmt", "PMT / MT pangan lokal", supplement_q(Supplement.Kind.PMT)),
        ("edukasi", "Edukasi", counselled_q()),
    ]
    for key, label, q in services:
        sec.add(key, label, "Pelayanan", sec.metric(key, "visit", lambda c, q=q: anak(c) & q))
    for k, label, q in groups:
        sec.add(f"rujuk_{k}", label.split(" (")[0], "Dirujuk",
                sec.metric(f"rujuk_{k}", "visit", lambda c, q=q: q(c) & referred_q()))
    sec.notes = [
        "Kolom ceklis perkembangan (SDIDTK) lengkap/tidak lengkap belum dicatat.",
        "Kolom ASI eksklusif dan MP-ASI belum dicatat.",
        "Kolom bergejala TBC dan balita sakit belum dicatat.",
        "Naik/tidak naik dan kelas ukuran: pengukuran terakhir tiap anak di bulan ini.",
    ]
    return sec


def remaja_section(month: date) -> Section:
    end = month_end(month)
    th = table("adult_thresholds", end)
    sec = Section("recap_remaja", "Usia sekolah dan remaja (6–18 tahun)")
    groups = [
        ("sekolah", "6–14 th", lambda c: band_q(c, "usia_sekolah")),
        ("remaja", "15–18 th", lambda c: band_q(c, "remaja")),
    ]

    def all_(c: Ctx):
        return band_q(c, "usia_sekolah") | band_q(c, "remaja")

    keys = {k: _sasaran(sec, k, q) for k, _label, q in groups}
    for i, title in enumerate(("Sasaran", "Datang")):
        for k, label, _q in groups:
            sec.add_by_sex(f"{k}_{'sd'[i]}", f"{title} {label}", keys[k][i])
    for k, label, _q in groups:
        sec.add(f"{k}_t", label, "Tidak datang", keys[k][2])
    for code, label in (("gizi_buruk", "Sangat kurus"), ("gizi_kurang", "Kurus"),
                        ("gizi_baik", "Normal"), ("gizi_lebih", "Gemuk"), ("obesitas", "Obesitas")):
        sec.add(f"imt_{code}", label, "IMT/U",
                sec.metric(f"imt_{code}", "measure", lambda c, code=code: all_(c)
                           & Q(imtu_cat=code)))
    remaja = groups[1][2]
    sec.add("perut", "Lingkar perut L > 90 / P > 80", "Remaja 15–18 th",
            sec.metric("perut", "measure", lambda c: remaja(c) & waist_high_q(th)))
    for level in ("rendah", "normal", "tinggi"):
        sec.add(f"td_{level}", f"TD {level}", "Remaja 15–18 th",
                sec.metric(f"td_{level}", "visit",
                           lambda c, level=level: remaja(c) & bp_q(level, th)))
    for level in ("rendah", "normal", "tinggi"):
        sec.add(f"gd_{level}", f"Gula darah {level}", "Remaja 15–18 th",
                sec.metric(f"gd_{level}", "visit",
                           lambda c, level=level: remaja(c) & Q(examination__glucose_class=level)))
    sec.add("anemia", "Anemia", "Remaja putri (Hb)", sec.metric(
        "anemia", "visit", lambda c: all_(c) & sex_q(c, "P") & Q(examination__anaemia=True)))
    sec.add("tidak_anemia", "Tidak anemia", "Remaja putri (Hb)", sec.metric(
        "tidak_anemia", "visit",
        lambda c: all_(c) & sex_q(c, "P") & Q(examination__anaemia=False)))
    sec.add("ttd", "TTD remaja putri", "Pelayanan", sec.metric(
        "ttd", "visit", lambda c: all_(c) & sex_q(c, "P") & supplement_q(Supplement.Kind.TTD)))
    sec.add("edukasi", "Edukasi", "Pelayanan",
            sec.metric("edukasi", "visit", lambda c: all_(c) & counselled_q()))
    sec.add("rujuk", "Dirujuk", "Pelayanan",
            sec.metric("rujuk", "visit", lambda c: all_(c) & referred_q()))
    sec.notes = [
        "Kolom bergejala TBC belum dicatat.",
        "Skrining jiwa remaja (HEEADSSS/SDQ) belum dicatat; SRQ-20 untuk usia 18 tahun ke atas "
        "ada di tabel dewasa.",
    ]
    return sec


def dewasa_section(month: date) -> Section:
    end = month_end(month)
    th = table("adult_thresholds", end)
    spec = table("screenings", end)
    sec = Section("recap_dewasa", "Usia dewasa dan lansia")
    groups = [
        ("dewasa", "Dewasa (19–59 th)", lambda c: band_q(c, "dewasa")),
        ("lansia", "Lansia (≥ 60 th)", lambda c: band_q(c, "lansia")),
    ]

    def adult(c: Ctx):
        return band_q(c, "dewasa") | band_q(c, "lansia")

    lansia = groups[1][2]
    keys = {k: _sasaran(sec, k, q) for k, _label, q in groups}
    for i, title in enumerate(("Sasaran", "Datang")):
        for k, label, _q in groups:
            sec.add_by_sex(f"{k}_{'sd'[i]}", f"{title} {label.split(' (')[0].lower()}",
                           keys[k][i])
    for k, label, _q in groups:
        sec.add(f"{k}_t", label.split(" (")[0], "Tidak datang", keys[k][2])

    def add(key, label, group, source, q, who=adult):
        sec.add(key, label, group, sec.metric(key, source, lambda c: who(c) & q))

    for band_ in th["imt"]:
        add(f"imt_{band_['code']}", band_["label"], "IMT", "measure", Q(imt_cat=band_["code"]))
    cut = th["waist_central_obesity_cm"]
    add("perut_l", f"L > {cut['L']} cm", "Lingkar perut", "measure",
        Q(person__sex="L", waist_cm__gt=cut["L"]))
    add("perut_p", f"P > {cut['P']} cm", "Lingkar perut", "measure",
        Q(person__sex="P", waist_cm__gt=cut["P"]))
    for level in ("rendah", "normal", "tinggi"):
        add(f"td_{level}", level.capitalize(), "Tekanan darah", "visit", bp_q(level, th))
    for level in ("rendah", "normal", "tinggi"):
        add(f"gd_{level}", level.capitalize(), "Gula darah", "visit",
            Q(examination__glucose_class=level))
    srq = spec["srq20"]["scoring"]["refer_at_least"]
    add("srq_normal", f"< {srq}", "SRQ-20 (≥ 18 th)", "visit",
        screening_q("srq20", score__lt=srq))
    add("srq_rujuk", f"≥ {srq}", "SRQ-20 (≥ 18 th)", "visit",
        screening_q("srq20", score__gte=srq))
    add("srq_p17", "Pertanyaan 17 = ya", "SRQ-20 (≥ 18 th)", "visit",
        screening_q("srq20", outcome="risiko_bunuh_diri"))
    puma = spec["puma"]["scoring"]["refer_at_least"]
    add("puma_normal", f"< {puma}", "PUMA (≥ 40 th)", "visit",
        screening_q("puma", score__lt=puma))
    add("puma_rujuk", f"≥ {puma}", "PUMA (≥ 40 th)", "visit",
        screening_q("puma", score__gte=puma))
    by_category: dict[str, list[str]] = {}
    for level in spec["adl"]["levels"]:
        by_category.setdefault(level["category"], []).append(level)
    for category, levels in sorted(by_category.items()):
        names = ", ".join(lv["label"].replace("Ketergantungan ", "") for lv in levels)
        add(f"aks_{category.lower()}", f"{category} ({names})", "AKS lansia", "visit",
            screening_q("adl", outcome__in=[lv["code"] for lv in levels]), who=lansia)
    for domain in spec["skilas"]["domains"]:
        add(f"skilas_{domain['code']}", domain["label"], "SKILAS lansia (ada penurunan)",
            "visit", skilas_domain_q(domain["code"]), who=lansia)
    add("edukasi", "Edukasi", "Pelayanan", "visit", counselled_q())
    for k, label, q in groups:
        sec.add(f"rujuk_{k}", label.split(" (")[0], "Dirujuk",
                sec.metric(f"rujuk_{k}", "visit", lambda c, q=q: q(c) & referred_q()))
    sec.notes = [
        "Kolom bergejala TBC belum dicatat.",
        "Kelas IMT, lingkar perut: pengukuran terakhir tiap orang di bulan ini; tekanan darah: "
        "hasil pemeriksaan bidan, atau pengukuran kader bila bidan tidak memeriksa.",
    ]
    return sec


def recap_sections(month: date) -> list[Section]:
    """The four recap sections, with the rule tables valid at month end."""
    return [ibu_section(month), anak_section(month), remaja_section(month),
            dewasa_section(month)]
