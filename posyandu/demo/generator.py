"""Demo and benchmark data: a whole, realistic area of any size from one seed.

Two steps, kept apart so the randomness can be tested without a database:

- ``plan_area()`` is pure Python (no ORM, no clock unless ``end`` is None): it
  draws everything from one ``random.Random(seed)`` and returns an ``AreaPlan``
  of plain dataclasses that refer to each other by list index. The same
  arguments give an equal plan.
- ``write_plan()`` writes a plan with ``bulk_create`` in batches, inside one
  transaction.

``generate_area()`` does both.

What ``bulk_create`` skips, on purpose:

- ``Model.save()``: ``Person.name_key`` is therefore set here, with
  ``ilp.identity.normalise_name``, exactly as ``Person.save()`` would.
- django-simple-history records no history rows for bulk inserts. The data is
  generated, not edited by anyone, so there is no history to keep.
- The derived measurement fields (age, z-scores, categories, KMS trend, BGM/2T,
  IMT, flags) stay at their defaults; the recompute step fills them afterwards.

The time line: ``end`` is "today" of the generated world (default: the first of
the current month in Asia/Jakarta). Ages are counted back from ``end``. The
history is the ``months`` full calendar months before the month of ``end``: one
closed service day per posyandu per month, with visits and measurements, and
the births, deaths and moves of that period. The month of ``end`` gets one more
service day, still ``planned`` (no visits) when its date is on or after ``end``
(always so with the default ``end``), otherwise closed with visits.
"""

from __future__ import annotations

import math
import random
import re
import time as _time
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ilp.identity import normalise_name
from ilp.lifecycle import completed_months

BATCH_SIZE = 2000

# --------------------------------------------------------------------------- names

KABUPATEN_NAMES = {
    "35.07": ("Malang", "Jawa Timur"),
    "35.08": ("Lumajang", "Jawa Timur"),
    "35.09": ("Jember", "Jawa Timur"),
    "35.10": ("Banyuwangi", "Jawa Timur"),
    "35.11": ("Bondowoso", "Jawa Timur"),
    "35.12": ("Situbondo", "Jawa Timur"),
    "35.13": ("Probolinggo", "Jawa Timur"),
    "35.26": ("Bangkalan", "Jawa Timur"),
    "33.01": ("Cilacap", "Jawa Tengah"),
    "33.02": ("Banyumas", "Jawa Tengah"),
    "32.01": ("Bogor", "Jawa Barat"),
    "32.04": ("Bandung", "Jawa Barat"),
    "52.01": ("Lombok Barat", "Nusa Tenggara Barat"),
    "53.10": ("Manggarai", "Nusa Tenggara Timur"),
    "73.71": ("Makassar", "Sulawesi Selatan"),
    "94.71": ("Jayapura", "Papua"),
}
PROVINCES = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah",
    "34": "DI Yogyakarta", "35": "Jawa Timur", "36": "Banten", "51": "Bali",
    "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur", "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah", "63": "Kalimantan Selatan", "64": "Kalimantan Timur",
    "65": "Kalimantan Utara", "71": "Sulawesi Utara", "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara", "75": "Gorontalo",
    "76": "Sulawesi Barat", "81": "Maluku", "82": "Maluku Utara", "91": "Papua Barat",
    "94": "Papua",
}
WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT = {"81", "82", "91", "92", "94", "95", "96", "97"}

KECAMATAN_NAMES = [
    "Kencong", "Gumukmas", "Puger", "Wuluhan", "Ambulu", "Tempurejo", "Silo", "Mayang",
    "Mumbulsari", "Jenggawah", "Ajung", "Rambipuji", "Balung", "Umbulsari", "Semboro",
    "Jombang", "Sumberbaru", "Tanggul", "Bangsalsari", "Panti", "Sukorambi", "Arjasa",
    "Pakusari", "Kalisat", "Ledokombo", "Sumberjambe", "Sukowono", "Jelbuk", "Kaliwates",
    "Sumbersari", "Patrang",
]
DESA_NAMES = [
    "Sukorejo", "Sumberagung", "Karangrejo", "Wonorejo", "Sidomulyo", "Tegalrejo", "Kemuning",
    "Mangaran", "Pontang", "Glagahwero", "Kertonegoro", "Cakru", "Paseban", "Wringintelu",
    "Karanganyar", "Sidodadi", "Tanjungrejo", "Jatisari", "Kepanjen", "Mojosari", "Banjarsari",
    "Purwoharjo", "Gunungsari", "Ngampelrejo", "Sukoreno", "Curahnongko", "Andongrejo",
    "Sanenrejo", "Lojejer", "Tamansari", "Sabrang", "Pontang", "Kaliwining", "Dukuhmencek",
    "Klompangan", "Karangpring", "Sumberjati", "Gelang", "Sumberkejayan", "Rowotamtu",
    "Mumbulsari", "Lengkong", "Kamal", "Jambearum", "Sumberpinang", "Plerean", "Kebonsari",
    "Suci", "Badean", "Cangkring", "Karangduren", "Harjomulyo", "Sabrangbendo", "Tisnogambar",
]
DUSUN_NAMES = [
    "Krajan", "Krajan Lor", "Krajan Kidul", "Sumbersari", "Karangasem", "Gumuksari",
    "Kebonsari", "Tegalsari", "Sawahan", "Kauman", "Panggung", "Baban", "Curah Wungkal",
    "Sumberwaru", "Gumukmas", "Tanjungsari", "Ngelo", "Gondang", "Pasar", "Jambuan",
]
STREET_NAMES = [
    "Mawar", "Melati", "Kenanga", "Diponegoro", "Kartini", "Gajah Mada", "Hayam Wuruk",
    "Sultan Agung", "Letjen Suprapto", "Nusantara", "Cendrawasih", "Kutilang", "Merpati",
    "Semeru", "Bromo", "Argopuro", "Raung", "Kalimantan", "Sumatera", "Jawa",
]
FLOWERS = [
    "Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Cempaka", "Flamboyan", "Teratai",
    "Seruni", "Kamboja", "Bougenville", "Asoka", "Aster", "Nusa Indah", "Sedap Malam", "Krisan",
    "Tulip", "Lily", "Sakura", "Matahari",
]
ROMAN = ["", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X"]

MALE_ADULT = [
    "Ahmad", "Agus", "Budi", "Bambang", "Slamet", "Joko", "Sugeng", "Hadi", "Eko", "Dwi", "Rudi",
    "Heri", "Wahyu", "Imam", "Abdul", "Sutrisno", "Suparman", "Hasan", "Fauzi", "Arif", "Yusuf",
    "Rahmat", "Hendra", "Teguh", "Samsul", "Mulyadi", "Sukardi", "Holil", "Syaiful", "Moh.",
    "Nur", "Andi", "Dedi", "Anton", "Iwan", "Wawan", "Hariyadi", "Sholihin", "Zainal", "Bagus",
]
FEMALE_ADULT = [
    "Siti", "Sri", "Nur", "Dewi", "Sumiati", "Aminah", "Fatimah", "Endang", "Yuliana", "Rina",
    "Lestari", "Ratna", "Wahyuni", "Indah", "Eka", "Dian", "Nurul", "Anis", "Umi", "Khotijah",
    "Maimunah", "Rohmah", "Sulastri", "Kartini", "Tutik", "Lilik", "Suwarni", "Hartini", "Puji",
    "Ayu", "Fitri", "Novi", "Rini", "Yuni", "Winarti", "Mistiyah", "Sholehah", "Lailatul",
    "Anik", "Erna",
]
MALE_SECOND = [
    "Santoso", "Wibowo", "Prasetyo", "Hidayat", "Saputra", "Setiawan", "Kurniawan", "Susanto",
    "Purnomo", "Nugroho", "Hariyanto", "Firmansyah", "Ramadhan", "Maulana", "Hakim", "Rahman",
    "Efendi", "Sholeh", "Wijaya", "Syahputra", "Hidayatullah", "Mustofa", "Anwar", "Hasyim",
]
FEMALE_SECOND = [
    "Rahayu", "Wati", "Lestari", "Handayani", "Susanti", "Wulandari", "Puspitasari",
    "Kusumawati", "Fitriani", "Anggraini", "Rahmawati", "Nurhayati", "Safitri", "Maharani",
    "Ningsih", "Yulianti", "Hasanah", "Jannah", "Khoiriyah", "Agustina", "Rosidah", "Zulaikha",
]
MALE_CHILD = [
    "Muhammad", "Rizky", "Alfarizi", "Arkan", "Raffi", "Dafa", "Zidan", "Fathan", "Azka",
    "Kenzo", "Abizar", "Arsenio", "Alvaro", "Bima", "Satria", "Rafa", "Naufal", "Gibran",
    "Farel", "Adit", "Galang", "Reyhan", "Hafiz", "Ibrahim",
]
FEMALE_CHILD = [
    "Aisyah", "Alesha", "Azzahra", "Khanza", "Nayla", "Kirana", "Almira", "Adiba", "Shaqila",
    "Zahira", "Humaira", "Keisha", "Aqila", "Syifa", "Nadhira", "Citra", "Putri", "Naura",
    "Salsabila", "Anindya", "Kayla", "Qirani", "Hanum", "Nabila",
]
CHILD_SECOND_M = [
    "Pratama", "Ramadhan", "Alfarizqi", "Putra", "Maulana", "Al Fatih", "Saputra", "Akbar",
    "Wijaya", "Firmansyah", "Hidayat", "Arrasyid",
]
CHILD_SECOND_F = [
    "Putri", "Azzahra", "Ramadhani", "Aulia", "Nur Aini", "Salsabila", "Az Zahra", "Anjani",
    "Kirani", "Maharani", "Safitri", "Khairunnisa",
]
MALE_OLD = [
    "Paiman", "Tukiman", "Misran", "Sarmo", "Kasiman", "Paidi", "Sanusi", "Marjuki", "Sukirno",
    "Kusnadi", "Suwito", "Ngadimin", "Saeran", "Buhari", "Matrawi", "Sahri",
]
FEMALE_OLD = [
    "Sumarni", "Ngatini", "Sainten", "Buati", "Painem", "Tumini", "Sarinah", "Satumi",
    "Marsini", "Juminten", "Poniyem", "Suminah", "Asiyah", "Hamidah", "Munawaroh", "Tasmi",
]
MOVED_TO = [
    "Surabaya", "Malang", "Denpasar, Bali", "Kab. Banyuwangi", "Kab. Lumajang", "Sidoarjo",
    "Jakarta", "Kalimantan Timur", "Malaysia (PMI)", "Kab. Bondowoso", "Desa lain, kecamatan sama",
]
PHONE_PREFIXES = ["0812", "0813", "0821", "0822", "0852", "0853", "0857", "0878", "0896", "0838"]

# --------------------------------------------------------------------------- growth

# WHO 2006 medians (approximate, per sex) at these ages in months. Length is the
# lying length throughout; from 24 months a standing height is 0.7 cm less.
_KNOTS = (0, 1, 2, 3, 4, 6, 9, 12, 18, 24, 36, 48, 60)
_WEIGHT = {
    "L": (3.3, 4.5, 5.6, 6.4, 7.0, 7.9, 8.9, 9.6, 10.9, 12.2, 14.3, 16.3, 18.3),
    "P": (3.2, 4.2, 5.1, 5.8, 6.4, 7.3, 8.2, 8.9, 10.2, 11.5, 13.9, 16.1, 18.2),
}
_LENGTH = {
    "L": (49.9, 54.7, 58.4, 61.4, 63.9, 67.6, 72.0, 75.7, 82.3, 87.8, 96.8, 104.0, 110.7),
    "P": (49.1, 53.7, 57.1, 59.8, 62.1, 65.7, 70.1, 74.0, 80.7, 86.4, 95.8, 103.4, 110.1),
}
_HEAD_KNOTS = _KNOTS[:10]
_HEAD = {
    "L": (34.5, 37.3, 39.1, 40.5, 41.6, 43.3, 45.0, 46.1, 47.4, 48.3),
    "P": (33.9, 36.5, 38.3, 39.5, 40.6, 42.2, 43.8, 45.0, 46.2, 47.2),
}
WEIGHT_LOG_SD = 0.11  # weight = median * exp(0.11 z): about 11 % per SD, skewed like WHO's
LENGTH_SD = 0.035
HEAD_SD = 0.03
DAYS_PER_MONTH = 30.4375


def _interp(xs: tuple, ys: tuple, x: float) -> float:
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect_right(xs, x) - 1
    frac = (x - xs[i]) / (xs[i + 1] - xs[i])
    return ys[i] + frac * (ys[i + 1] - ys[i])


def median_weight(sex: str, age_months: float) -> float:
    return _interp(_KNOTS, _WEIGHT[sex], age_months)


def median_length(sex: str, age_months: float) -> float:
    return _interp(_KNOTS, _LENGTH[sex], age_months)


def median_head(sex: str, age_months: float) -> float:
    return _interp(_HEAD_KNOTS, _HEAD[sex], age_months)


def _d1(value: float) -> Decimal:
    """Round to one decimal, as the kader writes it down."""
    return Decimal(f"{value:.1f}")


# --------------------------------------------------------------------------- the plan


@dataclass(slots=True)
class KabupatenPlan:
    kode: str
    nama: str
    provinsi: str


@dataclass(slots=True)
class KecamatanPlan:
    kode: str
    nama: str


@dataclass(slots=True)
class PuskesmasPlan:
    kode: str
    nama: str
    kecamatan: int


@dataclass(slots=True)
class DesaPlan:
    kode: str
    nama: str
    kecamatan: int
    puskesmas: int
    is_kelurahan: bool


@dataclass(slots=True)
class PosyanduPlan:
    nama: str
    desa: int
    alamat: str
    timezone: str
    rt_rw: list[tuple[str, str]]  # (rw, rt)


@dataclass(slots=True)
class UserPlan:
    username: str
    first_name: str
    last_name: str
    phone: str


@dataclass(slots=True)
class MembershipPlan:
    user: int
    role: str
    posyandu: int | None = None
    puskesmas: int | None = None
    kabupaten: bool = False


@dataclass(slots=True)
class HouseholdPlan:
    posyandu: int
    no_kk: str
    kepala_keluarga: str
    alamat: str
    rt: str
    rw: str


@dataclass(slots=True)
class PersonPlan:
    posyandu: int
    household: int
    name: str
    sex: str
    birth_date: date
    nik: str | None = None
    birth_date_estimated: bool = False
    mother: int | None = None  # index into AreaPlan.persons, always lower than this one's
    mother_name: str = ""
    mother_nik: str = ""
    bpjs_number: str = ""
    address: str = ""
    rt: str = ""
    rw: str = ""
    phone: str = ""
    has_buku_kia: bool = False
    moved_on: date | None = None
    moved_to: str = ""
    died_on: date | None = None

    def present_on(self, on: date) -> bool:
        return (
            self.birth_date <= on
            and (self.moved_on is None or self.moved_on > on)
            and (self.died_on is None or self.died_on > on)
        )


@dataclass(slots=True)
class PregnancyPlan:
    person: int
    hpht: date
    due_date: date
    gravida: int
    outcome: str  # "berlangsung" or "lahir_hidup"
    outcome_date: date | None


@dataclass(slots=True)
class ServiceDayPlan:
    posyandu: int
    date: date
    place: str
    status: str  # "closed" or "planned"


@dataclass(slots=True)
class VisitPlan:
    """One posyandu visit and its measurement set (raw values only)."""

    person: int
    service_day: int
    date: date
    recorded_by: int  # user index (a kader of the posyandu)
    weight_kg: Decimal | None = None
    length_cm: Decimal | None = None
    length_method: str = ""
    head_cm: Decimal | None = None
    muac_cm: Decimal | None = None
    waist_cm: Decimal | None = None
    systolic: int | None = None
    diastolic: int | None = None


@dataclass(slots=True, frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


@dataclass
class AreaPlan:
    seed: int
    start: date
    end: date
    kabupaten: KabupatenPlan
    kecamatan: list[KecamatanPlan] = field(default_factory=list)
    puskesmas: list[PuskesmasPlan] = field(default_factory=list)
    desa: list[DesaPlan] = field(default_factory=list)
    posyandu: list[PosyanduPlan] = field(default_factory=list)
    users: list[UserPlan] = field(default_factory=list)
    memberships: list[MembershipPlan] = field(default_factory=list)
    households: list[HouseholdPlan] = field(default_factory=list)
    persons: list[PersonPlan] = field(default_factory=list)
    pregnancies: list[PregnancyPlan] = field(default_factory=list)
    service_days: list[ServiceDayPlan] = field(default_factory=list)
    visits: list[VisitPlan] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "Kabupaten": 1,
            "Kecamatan": len(self.kecamatan),
            "Puskesmas": len(self.puskesmas),
            "Desa": len(self.desa),
            "Posyandu": len(self.posyandu),
            "RtRw": sum(len(p.rt_rw) for p in self.posyandu),
            "User": len(self.users),
            "Membership": len(self.memberships),
            "Household": len(self.households),
            "Person": len(self.persons),
            "Pregnancy": len(self.pregnancies),
            "ServiceDay": len(self.service_days),
            "Visit": len(self.visits),
            "Measurement": len(self.visits),
        }


COUNT_LABELS = {
    "derived": "Pengukuran dihitung (z-skor, N/T)",
    "Kabupaten": "Kabupaten/kota",
    "Kecamatan": "Kecamatan",
    "Puskesmas": "Puskesmas",
    "Desa": "Desa/kelurahan",
    "Posyandu": "Posyandu",
    "RtRw": "RT/RW",
    "User": "Pengguna",
    "Membership": "Keanggotaan",
    "Household": "Keluarga (KK)",
    "Person": "Sasaran",
    "Pregnancy": "Kehamilan",
    "ServiceDay": "Hari buka posyandu",
    "Visit": "Kunjungan",
    "Measurement": "Pengukuran",
}


@dataclass
class AreaSummary:
    kabupaten: str
    start: date
    end: date
    counts: dict[str, int]
    logins: list[DemoLogin]
    seconds: float = 0.0

    def count_lines(self) -> list[str]:
        return [f"{COUNT_LABELS.get(k, k)}: {v:,}".replace(",", ".") for k, v in self.counts.items()]


def resolve_end(end: date | None) -> date:
    """``end`` as given, or the first of the current month in Asia/Jakarta."""
    if end is not None:
        return end
    from django.utils import timezone

    return timezone.localdate(timezone=ZoneInfo("Asia/Jakarta")).replace(day=1)


def _add_months(d: date, n: int) -> date:
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


# --------------------------------------------------------------------------- tracks


class _ChildTrack:
    """A child's persistent growth track: z-score levels, drift, habits."""

    __slots__ = (
        "sex", "zw", "zl", "zhc", "drift", "flat_p", "attend", "muac_off", "ar", "offset",
        "steps", "prev_w", "prev_l", "attended_last",
    )

    def __init__(self, rng: random.Random, sex: str):
        self.sex = sex
        roll = rng.random()
        if roll < 0.78:  # the usual child
            self.zw = min(1.0, max(-1.95, rng.gauss(-0.55, 0.6)))
            self.zl = min(1.5, max(-1.95, self.zw + rng.gauss(0.05, 0.5)))
        elif roll < 0.86:  # stunted
            self.zl = rng.uniform(-3.0, -2.05)
            self.zw = self.zl + rng.uniform(0.3, 1.0)
        elif roll < 0.92:  # underweight / wasted
            self.zw = rng.uniform(-2.9, -2.05)
            self.zl = rng.uniform(-1.8, -0.5)
        elif roll < 0.95:  # BGM: below the KMS red line
            self.zw = rng.uniform(-3.8, -3.1)
            self.zl = rng.uniform(-3.4, -2.2)
        else:  # heavy
            self.zw = rng.uniform(1.1, 2.3)
            self.zl = rng.gauss(0.3, 0.5)
        self.zhc = 0.5 * self.zl + rng.gauss(0, 0.6)
        drift_roll = rng.random()
        self.drift = -0.04 if drift_roll < 0.2 else (0.03 if drift_roll < 0.3 else 0.0)
        self.flat_p = 0.25 if rng.random() < 0.15 else 0.04
        attend_roll = rng.random()
        self.attend = 0.93 if attend_roll < 0.6 else (0.75 if attend_roll < 0.9 else 0.45)
        self.muac_off = rng.gauss(0, 0.5)
        self.ar = 0.0
        self.offset = 0.0
        self.steps = 0
        self.prev_w: float | None = None
        self.prev_l: float | None = None
        self.attended_last = True

    def step(self, rng: random.Random, age_days: int, age_months: int) -> dict:
        """Advance one month (whether or not the child comes) and return what a
        kader would measure today."""
        am = age_days / DAYS_PER_MONTH
        mw = median_weight(self.sex, am)
        self.ar = 0.7 * self.ar + rng.gauss(0, 0.08)
        self.offset *= 0.7  # catch-up growth after a flat month
        z = self.zw + self.drift * self.steps + self.ar + self.offset
        weight = mw * math.exp(WEIGHT_LOG_SD * z)
        if self.prev_w is not None and am >= 3 and rng.random() < self.flat_p:
            # an illness month: the weight does not rise (gives T on the KMS)
            flat = self.prev_w + rng.uniform(-0.2, 0.05)
            self.offset += math.log(flat / mw) / WEIGHT_LOG_SD - z
            weight = flat
        self.prev_w = weight
        self.steps += 1

        zl = self.zl + rng.gauss(0, 0.03) + min(0.0, 0.3 * self.drift * self.steps)
        length = median_length(self.sex, am) * (1 + LENGTH_SD * zl)
        if self.prev_l is not None:
            length = max(length, self.prev_l)
        self.prev_l = length

        out = {"weight_kg": _d1(max(1.5, weight + rng.gauss(0, 0.03)))}
        measured = length + rng.gauss(0, 0.3)
        if age_days < 731:
            out["length_cm"], out["length_method"] = _d1(measured), "lying"
            head = median_head(self.sex, am) * (1 + HEAD_SD * self.zhc) + rng.gauss(0, 0.2)
            out["head_cm"] = _d1(head)
        else:
            out["length_cm"], out["length_method"] = _d1(measured - 0.7), "standing"
        if age_months >= 6:
            # about 14-16 cm, rising slowly with age; about 1 cm per SD
            muac = 14.4 + 0.025 * (age_months - 6) + 0.9 * z + self.muac_off + rng.gauss(0, 0.2)
            out["muac_cm"] = _d1(min(19.0, max(9.5, muac)))
        return out


class _AdultTrack:
    __slots__ = ("height", "bmi", "waist", "systolic", "diastolic", "p")

    def __init__(self, rng: random.Random, sex: str, age_years: int):
        female = sex == "P"
        self.height = rng.gauss(151.5 if female else 163.0, 5.5 if female else 6.0)
        if age_years >= 60:
            self.height -= 2.0
        self.bmi = min(40.0, max(15.5, rng.gauss(24.8 if female else 23.5, 4.0)))
        self.waist = 2.3 * self.bmi + (22.0 if female else 28.0) + rng.gauss(0, 4)
        sys_ = 105 + 0.6 * (age_years - 19) + 0.8 * (self.bmi - 24) + rng.gauss(0, 12)
        if rng.random() < 0.12:
            sys_ += 25
        self.systolic = sys_
        self.diastolic = 0.55 * sys_ + 10 + rng.gauss(0, 5)
        regular = rng.random() < (0.45 if age_years >= 60 else 0.28)
        self.p = 0.4 if regular else 0.04

    def measure(self, rng: random.Random, measures_bp: bool = True) -> dict:
        h_m = self.height / 100
        weight = self.bmi * h_m * h_m + rng.gauss(0, 0.7)
        out = {
            "weight_kg": _d1(weight),
            "length_cm": _d1(self.height + rng.gauss(0, 0.3)),
            "length_method": "standing",
            "waist_cm": _d1(self.waist + rng.gauss(0, 1.0)),
        }
        if measures_bp:
            out["systolic"] = round(self.systolic + rng.gauss(0, 7))
            out["diastolic"] = round(self.diastolic + rng.gauss(0, 5))
        return out


# --------------------------------------------------------------------------- planner


class _Planner:
    def __init__(
        self, *, rng: random.Random, end: date, months: int, kabupaten_kode: str, friendly: bool
    ):
        self.rng = rng
        self.end = end
        self.months = months
        self.start = _add_months(end.replace(day=1), -months)
        self.kab_digits = kabupaten_kode.replace(".", "")
        self.friendly = friendly
        nama, provinsi = KABUPATEN_NAMES.get(
            kabupaten_kode, ("Sukamakmur", PROVINCES.get(kabupaten_kode[:2], "Jawa Timur"))
        )
        prov = kabupaten_kode[:2]
        self.timezone = (
            "Asia/Makassar" if prov in WITA else "Asia/Jayapura" if prov in WIT else "Asia/Jakarta"
        )
        self.plan = AreaPlan(
            seed=0, start=self.start, end=end,
            kabupaten=KabupatenPlan(kode=kabupaten_kode, nama=nama, provinsi=provinsi),
        )
        self.nik_serial: dict[str, int] = defaultdict(int)
        self.kk_serial: dict[str, int] = defaultdict(int)
        self.bpjs_used: set[str] = set()
        self.usernames: set[str] = set()
        self.posyandu_kecamatan: list[int] = []  # kecamatan index per posyandu
        self.posyandu_kader: list[list[int]] = []  # user indexes per posyandu
        self.posyandu_dusun: list[dict[str, str]] = []
        self.posyandu_urban: list[bool] = []
        self.roles: dict[int, str] = {}  # person index -> role in the household (not written)

    # ------------------------------------------------------------------ helpers
    def _unique_username(self, base: str) -> str:
        name, n = base, 1
        while name in self.usernames:
            n += 1
            name = f"{base}{n}"
        self.usernames.add(name)
        return name

    def _phone(self) -> str:
        rng = self.rng
        return rng.choice(PHONE_PREFIXES) + "".join(
            str(rng.randrange(10)) for _ in range(rng.choice((7, 8, 8)))
        )

    def _bpjs(self) -> str:
        while True:
            number = f"000{self.rng.randrange(1, 10**10):010d}"
            if number not in self.bpjs_used:
                self.bpjs_used.add(number)
                return number

    def _nik(self, area6: str, birth: date, sex: str) -> str:
        day = birth.day + (40 if sex == "P" else 0)
        prefix = f"{area6}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        self.nik_serial[prefix] += 1
        return f"{prefix}{self.nik_serial[prefix]:04d}"

    def _kk(self, area6: str) -> str:
        issued = self.end - timedelta(days=self.rng.randint(30, 15 * 365))
        prefix = f"{area6}{issued:%d%m%y}"
        self.kk_serial[prefix] += 1
        return f"{prefix}{self.kk_serial[prefix]:04d}"

    def _kec_digits(self, kec: int) -> str:
        return self.plan.kecamatan[kec].kode[-2:]

    def _name(self, sex: str, birth: date) -> str:
        rng = self.rng
        if birth.year >= 2008:
            first = rng.choice(MALE_CHILD if sex == "L" else FEMALE_CHILD)
            second = rng.choice(CHILD_SECOND_M if sex == "L" else CHILD_SECOND_F)
            return f"{first} {second}"
        if birth.year < 1962 and rng.random() < 0.7:
            return rng.choice(MALE_OLD if sex == "L" else FEMALE_OLD)
        first = rng.choice(MALE_ADULT if sex == "L" else FEMALE_ADULT)
        if rng.random() < 0.15:
            return first if first not in ("Moh.", "Nur") else f"{first} Hasan"
        second = rng.choice(MALE_SECOND if sex == "L" else FEMALE_SECOND)
        return f"{first} {second}"

    def _birth(self, age_years: float) -> date:
        days = max(1, int(age_years * 365.2425))
        return self.end - timedelta(days=days)

    # ------------------------------------------------------------------ structure
    def structure(self, n_puskesmas: int, posyandu_per_puskesmas: int) -> None:
        rng, plan = self.rng, self.plan
        n_kec = max(1, min(99, round(n_puskesmas / 1.3)))
        per_kec = [1] * n_kec
        for _ in range(n_puskesmas - n_kec):
            per_kec[rng.randrange(n_kec)] += 1
        if max(per_kec) > 99:
            raise ValueError("Terlalu banyak Puskesmas untuk satu kabupaten.")
        kec_names = rng.sample(KECAMATAN_NAMES, min(n_kec, len(KECAMATAN_NAMES)))
        desa_pool = list(dict.fromkeys(DESA_NAMES))
        rng.shuffle(desa_pool)
        desa_used: dict[str, int] = defaultdict(int)
        flower_i = 0
        for k in range(n_kec):
            base = kec_names[k % len(kec_names)]
            kec_name = base + ROMAN[min(k // len(kec_names), 9)]
            kode = f"{plan.kabupaten.kode}.{k + 1:02d}"
            plan.kecamatan.append(KecamatanPlan(kode=kode, nama=kec_name))
            desa_no, kel_no = 2001, 1001
            for j in range(per_kec[k]):
                pkm_i = len(plan.puskesmas)
                n_desa = 1 if posyandu_per_puskesmas <= 1 else rng.choice((1, 2))
                desa_idx = []
                for _ in range(n_desa):
                    raw = desa_pool[len(plan.desa) % len(desa_pool)]
                    desa_used[raw] += 1
                    dname = raw + ROMAN[min(desa_used[raw] - 1, 9)]
                    urban = rng.random() < 0.12
                    if urban:
                        dkode, kel_no = f"{kode}.{kel_no:04d}", kel_no + 1
                    else:
                        dkode, desa_no = f"{kode}.{desa_no:04d}", desa_no + 1
                    desa_idx.append(len(plan.desa))
                    plan.desa.append(DesaPlan(dkode, dname, k, pkm_i, urban))
                pkm_name = kec_name if j == 0 else plan.desa[desa_idx[0]].nama
                pkm_kode = f"P{self.kab_digits}{k + 1:02d}01{j + 1:02d}"
                plan.puskesmas.append(PuskesmasPlan(pkm_kode, pkm_name, k))
                # posyandu, round robin over the Puskesmas' desa
                rw_next = {d: 1 for d in desa_idx}
                names_in = {d: set() for d in desa_idx}
                for p in range(posyandu_per_puskesmas):
                    d = desa_idx[p % len(desa_idx)]
                    nama, n = FLOWERS[flower_i % len(FLOWERS)], 0
                    flower_i += 1
                    while nama + ROMAN[min(n, 9)] in names_in[d] and n < 9:
                        n += 1
                    nama = nama + ROMAN[n]
                    if nama in names_in[d]:
                        nama = f"{nama} {len(names_in[d]) + 1}"
                    names_in[d].add(nama)
                    rt_rw, dusun = [], {}
                    for _ in range(rng.randint(1, 3)):
                        rw = f"{rw_next[d]:03d}"
                        rw_next[d] += 1
                        dusun[rw] = rng.choice(DUSUN_NAMES)
                        for rt in range(1, rng.randint(2, 4) + 1):
                            rt_rw.append((rw, f"{rt:03d}"))
                    urban = plan.desa[d].is_kelurahan
                    rw0, rt0 = rt_rw[0]
                    alamat = (
                        f"Jl. {rng.choice(STREET_NAMES)} No. {rng.randint(1, 120)}"
                        if urban else f"Dusun {dusun[rw0]}, RT {rt0}/RW {rw0}"
                    )
                    plan.posyandu.append(PosyanduPlan(nama, d, alamat, self.timezone, rt_rw))
                    self.posyandu_kecamatan.append(k)
                    self.posyandu_dusun.append(dusun)
                    self.posyandu_urban.append(urban)

    # ------------------------------------------------------------------ users
    def _user(self, username: str, sex: str, last_suffix: str = "") -> int:
        rng = self.rng
        first = rng.choice(FEMALE_ADULT if sex == "P" else MALE_ADULT)
        last = rng.choice(FEMALE_SECOND if sex == "P" else MALE_SECOND) + last_suffix
        self.plan.users.append(UserPlan(username, first, last, self._phone()))
        return len(self.plan.users) - 1

    def users(self) -> None:
        rng, plan = self.rng, self.plan
        first_kader = True
        kader_count: dict[str, int] = defaultdict(int)
        for p_i, pos in enumerate(plan.posyandu):
            kader = []
            for _ in range(rng.randint(3, 5)):
                slug = _slug(pos.nama)
                kader_count[slug] += 1
                if self.friendly and first_kader:
                    username, first_kader = self._unique_username("kader"), False
                else:
                    username = self._unique_username(f"kader.{slug}{kader_count[slug]}")
                u = self._user(username, "P" if rng.random() < 0.92 else "L")
                plan.memberships.append(MembershipPlan(user=u, role="kader", posyandu=p_i))
                kader.append(u)
            self.posyandu_kader.append(kader)

        by_pkm: dict[int, list[int]] = defaultdict(list)
        for p_i, pos in enumerate(plan.posyandu):
            by_pkm[plan.desa[pos.desa].puskesmas].append(p_i)
        first_bidan = True
        bidan_logins: list[DemoLogin] = []
        other_logins: list[DemoLogin] = []
        for pkm_i, pkm in enumerate(plan.puskesmas):
            covered = by_pkm.get(pkm_i, [])
            i = 0
            while i < len(covered):
                group = covered[i : i + rng.choice((2, 3))]
                i += len(group)
                first = rng.choice(FEMALE_ADULT)
                if self.friendly and first_bidan:
                    username, first_bidan = self._unique_username("bidan"), False
                else:
                    username = self._unique_username(f"bidan.{_slug(first)}")
                last = rng.choice(FEMALE_SECOND) + ", A.Md.Keb."
                plan.users.append(UserPlan(username, first, last, self._phone()))
                u = len(plan.users) - 1
                for p_i in group:
                    plan.memberships.append(MembershipPlan(user=u, role="bidan", posyandu=p_i))
                if len(bidan_logins) < 2:
                    scope = ", ".join(f"Posyandu {plan.posyandu[p].nama}" for p in group)
                    bidan_logins.append(DemoLogin(username, "bidan", scope))
            base = "puskesmas" if self.friendly and pkm_i == 0 else f"pkm.{_slug(pkm.nama)}"
            username = self._unique_username(base)
            u = self._user(username, rng.choice("LP"), ", S.Gz." if rng.random() < 0.5 else "")
            plan.memberships.append(MembershipPlan(user=u, role="puskesmas", puskesmas=pkm_i))
            if pkm_i == 0:
                other_logins.append(DemoLogin(username, "puskesmas", f"Puskesmas {pkm.nama}"))
        base = "dinkes" if self.friendly else f"dinkes.{_slug(plan.kabupaten.nama)}"
        u = self._user(self._unique_username(base), rng.choice("LP"), ", S.KM.")
        plan.memberships.append(MembershipPlan(user=u, role="dinkes", kabupaten=True))
        kab = plan.kabupaten.nama
        other_logins.append(DemoLogin(plan.users[u].username, "dinkes", f"Kabupaten {kab}"))
        kader_logins = [
            DemoLogin(plan.users[k[0]].username, "kader", f"Posyandu {plan.posyandu[p].nama}")
            for p, k in enumerate(self.posyandu_kader[:3])
        ]
        plan.logins = kader_logins + bidan_logins + other_logins

    # ------------------------------------------------------------------ people
    def _household_members(self) -> list[dict]:
        """One household as a list of member dicts (head first, mothers before
        their children). ``mother`` is a position in this list."""
        rng = self.rng
        roll = rng.random()
        members: list[dict] = []

        def add(sex, age, role="", mother=None, est=False):
            members.append({"sex": sex, "birth": self._birth(age), "mother": mother,
                            "role": role, "est": est})
            return len(members) - 1

        def children(mother_pos, mother_age, first_at=(19.0, 27.0), leave_from=None):
            t = rng.uniform(*first_at)
            n_max = rng.choice((1, 2, 2, 3, 3, 4))
            born = []
            while t < mother_age and len(born) < n_max and t <= 42:
                born.append(mother_age - t)
                t += rng.uniform(2.0, 6.0)
            kept = []
            for age in born:
                if leave_from is not None and age >= leave_from and rng.random() < 0.65:
                    continue
                kept.append(add("L" if rng.random() < 0.51 else "P", age, "child", mother_pos))
            return kept

        if roll < 0.45:  # young family
            wife_age = rng.uniform(19.0, 39.0)
            if rng.random() < 0.93:
                add("L", wife_age + rng.triangular(0.0, 9.0, 3.0), "head")
            wife = add("P", wife_age, "wife")
            if rng.random() < 0.15:
                add(rng.choice("LP"), rng.uniform(60.0, 80.0), "elder")
            if rng.random() < 0.92:
                children(wife, wife_age)
        elif roll < 0.76:  # established family
            wife_age = rng.uniform(39.0, 59.0)
            add("L", wife_age + rng.triangular(0.0, 9.0, 3.0), "head")
            wife = add("P", wife_age, "wife")
            kids = children(wife, wife_age, leave_from=20.0)
            for kid in list(kids):
                m = members[kid]
                age = (self.end - m["birth"]).days / 365.2425
                if m["sex"] == "P" and age >= 20.0 and rng.random() < 0.4:
                    if rng.random() < 0.75:
                        add("L", age + rng.uniform(0.0, 6.0), "in-law")
                    children(kid, age, first_at=(19.0, min(age, 25.0)))
        elif roll < 0.93:  # elderly
            age = rng.uniform(60.0, 86.0)
            sex = "P" if rng.random() < 0.6 else "L"
            add(sex, age, "head", est=rng.random() < 0.3)
            if rng.random() < 0.45:
                add("L" if sex == "P" else "P", max(55.0, age + rng.uniform(-6.0, 4.0)), "wife")
        else:  # single young adult
            add("L" if rng.random() < 0.6 else "P", rng.uniform(19.0, 35.0), "head")
        return members

    def population(self, p_i: int, n_people: int) -> tuple[int, int]:
        """People and households of one posyandu; returns the persons' index range."""
        rng, plan = self.rng, self.plan
        pos = plan.posyandu[p_i]
        kec = self.posyandu_kecamatan[p_i]
        area6 = self.kab_digits + self._kec_digits(kec)
        n_kec_codes = max(len(plan.kecamatan), 20)
        kia_from = _add_months(self.start, -60)  # a balita at some time in the history
        first = len(plan.persons)
        while len(plan.persons) - first < n_people:
            members = self._household_members()
            members = members[: n_people - (len(plan.persons) - first)]
            rw, rt = rng.choice(pos.rt_rw)
            if self.posyandu_urban[p_i]:
                alamat = f"Jl. {rng.choice(STREET_NAMES)} No. {rng.randint(1, 150)}"
            else:
                alamat = f"Dusun {self.posyandu_dusun[p_i][rw]}"
            h_i = len(plan.households)
            base = len(plan.persons)
            names = []
            for m in members:
                birth = m["birth"]
                if m["est"]:
                    birth = date(birth.year, rng.choice((1, 7, 12)), rng.choice((1, 1, 31)))
                    birth = min(birth, self.end - timedelta(days=1))
                    m["birth"] = birth
                names.append(self._name(m["sex"], birth))
            head_name = names[0]
            plan.households.append(
                HouseholdPlan(p_i, self._kk(area6), head_name, alamat, rt, rw)
            )
            for m, name in zip(members, names, strict=True):
                birth, sex = m["birth"], m["sex"]
                age_days = (self.end - birth).days
                age_months = completed_months(birth, self.end)
                if age_months < 12:
                    has_nik = rng.random() < 0.15
                elif age_months < 60:
                    has_nik = rng.random() < 0.70
                elif age_months < 17 * 12:
                    has_nik = rng.random() < 0.92
                else:
                    has_nik = rng.random() < 0.95
                nik_area = area6
                if rng.random() < 0.15:
                    nik_area = f"{self.kab_digits}{rng.randint(1, n_kec_codes):02d}"
                person = PersonPlan(
                    posyandu=p_i, household=h_i, name=name, sex=sex, birth_date=birth,
                    nik=self._nik(nik_area, birth, sex) if has_nik else None,
                    birth_date_estimated=m["est"],
                    address=alamat, rt=rt, rw=rw,
                    bpjs_number=self._bpjs() if rng.random() < 0.6 else "",
                    phone=self._phone() if age_days >= 17 * 365 and rng.random() < 0.8 else "",
                    has_buku_kia=birth > kia_from and rng.random() < 0.9,
                )
                self.roles[len(plan.persons)] = m["role"]
                if m["mother"] is not None:
                    mother = plan.persons[base + m["mother"]]
                    person.mother = base + m["mother"]
                    person.mother_name = mother.name
                    if not person.nik and mother.nik:
                        person.mother_nik = mother.nik
                plan.persons.append(person)
        return first, len(plan.persons)

    def events(self, lo: int, hi: int) -> None:
        """Deaths and moves inside the history window, then pregnancies."""
        rng, plan = self.rng, self.plan
        start, end = self.start, self.end
        years = self.months / 12
        if years <= 0:
            return
        last_child_birth: dict[int, date] = {}
        for i in range(lo, hi):
            m = plan.persons[i].mother
            if m is not None:
                b = plan.persons[i].birth_date
                if m not in last_child_birth or b > last_child_birth[m]:
                    last_child_birth[m] = b

        def pick(earliest: date) -> date | None:
            earliest = max(earliest, start)
            span = (end - earliest).days
            return earliest + timedelta(days=rng.randrange(span)) if span > 0 else None

        # whole households moving away
        by_household: dict[int, list[int]] = defaultdict(list)
        for i in range(lo, hi):
            by_household[plan.persons[i].household].append(i)
        for idxs in by_household.values():
            if rng.random() < 0.03 * years:
                latest = max(plan.persons[i].birth_date for i in idxs)
                when = pick(latest + timedelta(days=1))
                if when:
                    to = rng.choice(MOVED_TO)
                    for i in idxs:
                        plan.persons[i].moved_on, plan.persons[i].moved_to = when, to
        for i in range(lo, hi):
            p = plan.persons[i]
            if p.moved_on:
                continue
            age = (start - p.birth_date).days / 365.2425
            if age < 1:
                rate = 0.02
            elif age < 5:
                rate = 0.002
            elif age < 40:
                rate = 0.001
            elif age < 60:
                rate = 0.006
            elif age < 70:
                rate = 0.02
            elif age < 80:
                rate = 0.05
            else:
                rate = 0.12
            earliest = max(p.birth_date, last_child_birth.get(i, p.birth_date))
            if rng.random() < rate * years:
                p.died_on = pick(earliest + timedelta(days=1))
            elif (
                18 <= age < 30 and self.roles.get(i) == "child" and i not in last_child_birth
                and rng.random() < 0.05 * years
            ):
                when = pick(earliest + timedelta(days=1))
                if when:
                    p.moved_on, p.moved_to = when, rng.choice(MOVED_TO)

        # pregnancies: past births (lahir hidup) of the last two years, ongoing ones
        order: dict[int, int] = defaultdict(int)
        for i in range(lo, hi):
            p = plan.persons[i]
            if p.mother is None:
                continue
            order[p.mother] += 1
            if p.birth_date >= start - timedelta(days=365):
                hpht = p.birth_date - timedelta(days=rng.randint(259, 290))
                plan.pregnancies.append(PregnancyPlan(
                    p.mother, hpht, hpht + timedelta(days=280), order[p.mother],
                    "lahir_hidup", p.birth_date,
                ))
        for i in range(lo, hi):
            p = plan.persons[i]
            age = (end - p.birth_date).days / 365.2425
            if p.sex != "P" or not 18 <= age < 42 or not p.present_on(end):
                continue
            if self.roles.get(i) != "wife" and i not in last_child_birth:
                continue
            if i in last_child_birth and (end - last_child_birth[i]).days < 450:
                continue
            if rng.random() < 0.09:
                hpht = end - timedelta(days=rng.randint(20, 260))
                plan.pregnancies.append(PregnancyPlan(
                    i, hpht, hpht + timedelta(days=280), order[i] + 1, "berlangsung", None,
                ))

    def service(self, p_i: int, lo: int, hi: int) -> None:
        """One service day per month, with the visits and measurements."""
        rng, plan = self.rng, self.plan
        pos = plan.posyandu[p_i]
        weekday = rng.randrange(5)
        week = rng.choice((0, 7))
        kader = self.posyandu_kader[p_i]
        rw0 = pos.rt_rw[0][0]
        if rng.random() < 0.6:
            place = f"Balai RW {int(rw0):02d}"
        else:
            place = f"Rumah Bu {plan.users[kader[0]].first_name}"
        desa = plan.desa[pos.desa]
        other_place = ("Balai Kelurahan " if desa.is_kelurahan else "Balai Desa ") + desa.nama
        children: dict[int, _ChildTrack] = {}
        adults: dict[int, _AdultTrack] = {}
        # who can be a balita or an adult at some service day
        candidates = [
            i for i in range(lo, hi)
            if plan.persons[i].birth_date > self.start - timedelta(days=61 * 31)
            or (self.end - plan.persons[i].birth_date).days >= 19 * 365
        ]
        for k in range(self.months + 1):
            # the chosen weekday of the 1st or 2nd week from the 5th: always the 5th-18th
            d = _add_months(self.start, k).replace(day=5)
            d += timedelta(days=(weekday - d.weekday()) % 7 + week)
            if d >= self.end:  # only possible in the month of ``end``
                plan.service_days.append(ServiceDayPlan(p_i, d, place, "planned"))
                continue
            sd = len(plan.service_days)
            plan.service_days.append(ServiceDayPlan(
                p_i, d, other_place if rng.random() < 0.08 else place, "closed"
            ))
            for i in candidates:
                person = plan.persons[i]
                if not person.present_on(d):
                    continue
                age_days = (d - person.birth_date).days
                if age_days < 7:
                    continue
                age_months = completed_months(person.birth_date, d)
                if age_months < 60:
                    track = children.get(i)
                    if track is None:
                        track = children[i] = _ChildTrack(rng, person.sex)
                    values = track.step(rng, age_days, age_months)
                    p = track.attend if track.attended_last else track.attend - 0.2
                    track.attended_last = rng.random() < p
                    if not track.attended_last:
                        continue
                elif age_months >= 19 * 12:
                    atrack = adults.get(i)
                    if atrack is None:
                        atrack = adults[i] = _AdultTrack(rng, person.sex, age_months // 12)
                    if rng.random() >= atrack.p:
                        continue
                    values = atrack.measure(rng)
                else:
                    continue
                plan.visits.append(VisitPlan(
                    person=i, service_day=sd, date=d, recorded_by=rng.choice(kader), **values
                ))


def plan_area(
    *,
    puskesmas: int = 1,
    posyandu_per_puskesmas: int = 3,
    people_per_posyandu: int = 120,
    months: int = 12,
    seed: int = 20260101,
    end: date | None = None,
    kabupaten_kode: str = "35.09",
    friendly_usernames: bool = False,
) -> AreaPlan:
    """The pure step: everything to write, as plain dataclasses. No database."""
    if puskesmas < 1 or posyandu_per_puskesmas < 1 or people_per_posyandu < 1 or months < 0:
        raise ValueError("Jumlah Puskesmas, posyandu dan sasaran minimal 1; bulan minimal 0.")
    if not re.fullmatch(r"\d{2}\.\d{2}", kabupaten_kode) or not (
        11 <= int(kabupaten_kode[:2]) <= 96 and kabupaten_kode[3:] != "00"
    ):
        raise ValueError("Kode kabupaten harus berbentuk PP.KK, misalnya 35.09.")
    planner = _Planner(
        rng=random.Random(seed), end=resolve_end(end), months=months,
        kabupaten_kode=kabupaten_kode, friendly=friendly_usernames,
    )
    planner.plan.seed = seed
    planner.structure(puskesmas, posyandu_per_puskesmas)
    planner.users()
    for p_i in range(len(planner.plan.posyandu)):
        lo, hi = planner.population(p_i, people_per_posyandu)
        planner.events(lo, hi)
        planner.service(p_i, lo, hi)
    return planner.plan


# --------------------------------------------------------------------------- writing


def _chunks(items: list, size: int = BATCH_SIZE):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _free_usernames(user_model, wanted: list[str], kabupaten: KabupatenPlan) -> list[str]:
    """The planned usernames, with those already in the database renamed
    (``kader.melati1`` -> ``kader.melati1.3510``)."""
    taken = set()
    for chunk in _chunks(wanted):
        taken |= set(
            user_model.objects.filter(username__in=chunk).values_list("username", flat=True)
        )
    if not taken:
        return list(wanted)
    used = set(wanted) | taken
    out = []
    for name in wanted:
        if name in taken:
            base = f"{name}.{kabupaten.kode.replace('.', '')}"
            name, n = base, 1
            while name in used:
                n += 1
                name = f"{base}.{n}"
            used.add(name)
        out.append(name)
    return out


def write_plan(plan: AreaPlan, *, password: str = "posyandu123") -> AreaSummary:
    """Write a plan with bulk inserts in one transaction.

    No history rows (simple_history does not see bulk_create) and no derived
    measurement fields: see the module docstring."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from ilp.models import Household, Measurement, Person, Pregnancy, ServiceDay, Visit
    from posyandu.models import (
        Desa,
        Kabupaten,
        Kecamatan,
        Membership,
        Posyandu,
        Puskesmas,
        RtRw,
        User,
    )

    try:  # the five-step field of a visit: every generated visit is on a past, closed day
        from ilp.models.service import Step

        visit_extra = {"step": Step.DONE}
    except ImportError:
        visit_extra = {}

    t0 = _time.monotonic()

    def bulk(model, objs):
        out = []
        for chunk in _chunks(objs):
            out.extend(o.pk for o in model.objects.bulk_create(chunk, batch_size=BATCH_SIZE))
        return out

    with transaction.atomic():
        k = plan.kabupaten
        kab = Kabupaten.objects.create(kode=k.kode, nama=k.nama, provinsi=k.provinsi)
        kec_pk = bulk(Kecamatan, [
            Kecamatan(kabupaten=kab, kode=x.kode, nama=x.nama) for x in plan.kecamatan
        ])
        pkm_pk = bulk(Puskesmas, [
            Puskesmas(kecamatan_id=kec_pk[x.kecamatan], kode=x.kode, nama=x.nama)
            for x in plan.puskesmas
        ])
        desa_pk = bulk(Desa, [
            Desa(kecamatan_id=kec_pk[x.kecamatan], puskesmas_id=pkm_pk[x.puskesmas], kode=x.kode,
                 nama=x.nama, is_kelurahan=x.is_kelurahan)
            for x in plan.desa
        ])
        pos_pk = bulk(Posyandu, [
            Posyandu(desa_id=desa_pk[x.desa], nama=x.nama, alamat=x.alamat, timezone=x.timezone)
            for x in plan.posyandu
        ])
        bulk(RtRw, [
            RtRw(posyandu_id=pos_pk[i], rw=rw, rt=rt)
            for i, x in enumerate(plan.posyandu) for rw, rt in x.rt_rw
        ])
        # A database that already holds another area may hold some of the same
        # usernames, NIKs or KK numbers: rename or leave those out, never fail.
        usernames = _free_usernames(User, [x.username for x in plan.users], plan.kabupaten)
        renamed = {x.username: u for x, u in zip(plan.users, usernames, strict=True)}
        prefix = plan.kabupaten.kode.replace(".", "")
        taken_nik = set(
            Person.objects.filter(nik__startswith=prefix).values_list("nik", flat=True)
        )
        taken_kk = set(
            Household.objects.filter(no_kk__startswith=prefix).values_list("no_kk", flat=True)
        )
        password_hash = make_password(password)
        user_pk = bulk(User, [
            User(username=u, first_name=x.first_name, last_name=x.last_name,
                 phone=x.phone, password=password_hash)
            for x, u in zip(plan.users, usernames, strict=True)
        ])
        bulk(Membership, [
            Membership(
                user_id=user_pk[x.user], role=x.role,
                posyandu_id=pos_pk[x.posyandu] if x.posyandu is not None else None,
                puskesmas_id=pkm_pk[x.puskesmas] if x.puskesmas is not None else None,
                kabupaten=kab if x.kabupaten else None,
            )
            for x in plan.memberships
        ])
        hh_pk = bulk(Household, [
            Household(posyandu_id=pos_pk[x.posyandu],
                      no_kk=None if x.no_kk in taken_kk else x.no_kk,
                      kepala_keluarga=x.kepala_keluarga, alamat=x.alamat, rt=x.rt, rw=x.rw)
            for x in plan.households
        ])

        # Persons, generation by generation so a mother's pk exists before her children.
        depth = [0] * len(plan.persons)
        for i, x in enumerate(plan.persons):
            if x.mother is not None:
                depth[i] = depth[x.mother] + 1
        person_pk: list[int | None] = [None] * len(plan.persons)
        for level in range(max(depth, default=-1) + 1):
            idxs = [i for i, dpt in enumerate(depth) if dpt == level]
            for chunk in _chunks(idxs):
                objs = []
                for i in chunk:
                    x = plan.persons[i]
                    objs.append(Person(
                        posyandu_id=pos_pk[x.posyandu], household_id=hh_pk[x.household],
                        name=x.name, name_key=normalise_name(x.name), sex=x.sex,
                        birth_date=x.birth_date, birth_date_estimated=x.birth_date_estimated,
                        nik=None if x.nik in taken_nik else x.nik,
                        mother_id=person_pk[x.mother] if x.mother is not None else None,
                        mother_name=x.mother_name, mother_nik=x.mother_nik,
                        bpjs_number=x.bpjs_number, address=x.address, rt=x.rt, rw=x.rw,
                        phone=x.phone, has_buku_kia=x.has_buku_kia, moved_on=x.moved_on,
                        moved_to=x.moved_to, died_on=x.died_on,
                    ))
                created = Person.objects.bulk_create(objs, batch_size=BATCH_SIZE)
                for i, obj in zip(chunk, created, strict=True):
                    person_pk[i] = obj.pk

        bulk(Pregnancy, [
            Pregnancy(person_id=person_pk[x.person], hpht=x.hpht, due_date=x.due_date,
                      gravida=x.gravida, outcome=x.outcome, outcome_date=x.outcome_date)
            for x in plan.pregnancies
        ])

        sd_objs = []
        for x in plan.service_days:
            zone = ZoneInfo(plan.posyandu[x.posyandu].timezone)
            closed = x.status == "closed"
            sd_objs.append(ServiceDay(
                posyandu_id=pos_pk[x.posyandu], date=x.date, place=x.place, status=x.status,
                opened_at=datetime.combine(x.date, time(8, 0), tzinfo=zone) if closed else None,
                closed_at=datetime.combine(x.date, time(11, 30), tzinfo=zone) if closed else None,
            ))
        sd_pk = bulk(ServiceDay, sd_objs)

        for chunk in _chunks(plan.visits):
            visits = []
            for x in chunk:
                pos = pos_pk[plan.persons[x.person].posyandu]
                visits.append(Visit(
                    posyandu_id=pos, person_id=person_pk[x.person],
                    service_day_id=sd_pk[x.service_day], kind="posyandu", date=x.date,
                    registered_by_id=user_pk[x.recorded_by], **visit_extra,
                ))
            visits = Visit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
            Measurement.objects.bulk_create([
                Measurement(
                    visit_id=v.pk, posyandu_id=v.posyandu_id, person_id=v.person_id,
                    measured_on=x.date, weight_kg=x.weight_kg, length_cm=x.length_cm,
                    length_method=x.length_method, head_cm=x.head_cm, muac_cm=x.muac_cm,
                    waist_cm=x.waist_cm, systolic=x.systolic, diastolic=x.diastolic,
                    recorded_by_id=v.registered_by_id,
                )
                for v, x in zip(visits, chunk, strict=True)
            ], batch_size=BATCH_SIZE)

    return AreaSummary(
        kabupaten=f"{plan.kabupaten.nama} ({plan.kabupaten.kode})",
        start=plan.start, end=plan.end, counts=plan.counts(),
        logins=[DemoLogin(renamed[x.username], x.role, x.scope) for x in plan.logins],
        seconds=_time.monotonic() - t0,
    )


def generate_area(
    *,
    puskesmas: int = 1,
    posyandu_per_puskesmas: int = 3,
    people_per_posyandu: int = 120,
    months: int = 12,
    seed: int = 20260101,
    end: date | None = None,
    kabupaten_kode: str = "35.09",
    password: str = "posyandu123",
    friendly_usernames: bool = False,
) -> AreaSummary:
    """Plan and write a whole area (see the module docstring).

    ``friendly_usernames`` (for the demo only) names the first kader ``kader``,
    the first bidan ``bidan``, the first Puskesmas user ``puskesmas`` and the
    Dinkes user ``dinkes``."""
    t0 = _time.monotonic()
    plan = plan_area(
        puskesmas=puskesmas, posyandu_per_puskesmas=posyandu_per_puskesmas,
        people_per_posyandu=people_per_posyandu, months=months, seed=seed, end=end,
        kabupaten_kode=kabupaten_kode, friendly_usernames=friendly_usernames,
    )
    summary = write_plan(plan, password=password)
    summary.counts["derived"] = _derive_measurements(plan.kabupaten.kode)
    summary.seconds = _time.monotonic() - t0
    return summary


def _derive_measurements(kabupaten_kode: str) -> int:
    """Step 3 for the generated history: z-scores, N/T/O/B, BGM, 2T and flags,
    by the same service the service day uses."""
    from ilp.models import Measurement
    from ilp.services.measurements import measurements_recompute

    person_ids = (
        Measurement.objects.filter(posyandu__desa__kecamatan__kabupaten__kode=kabupaten_kode)
        .values_list("person_id", flat=True).distinct()
    )
    return measurements_recompute(person_ids=list(person_ids))
