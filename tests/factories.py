"""Plain builder functions for tests (no factory library needed)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from ilp.models import Household, Person
from posyandu.models import (
    Desa,
    Kabupaten,
    Kecamatan,
    Membership,
    Posyandu,
    Puskesmas,
    Role,
    User,
)

_seq = itertools.count(1)


def make_user(username: str | None = None, *, role: str | None = None, password="rahasia-123",
              **scope) -> User:
    user = User.objects.create_user(
        username=username or f"user{next(_seq)}", password=password, first_name="Uji"
    )
    if role:
        Membership.objects.create(user=user, role=role, **scope)
    return user


def make_person(posyandu: Posyandu, **fields) -> Person:
    n = next(_seq)
    defaults = {"name": f"Anak Uji {n}", "sex": "L", "birth_date": date(2024, 1, 15)}
    defaults.update(fields)
    return Person.objects.create(posyandu=posyandu, **defaults)


def make_household(posyandu: Posyandu, **fields) -> Household:
    defaults = {"kepala_keluarga": f"Kepala {next(_seq)}", "rt": "001", "rw": "002"}
    defaults.update(fields)
    return Household.objects.create(posyandu=posyandu, **defaults)


@dataclass
class World:
    """Two kabupaten; Puskesmas A (posyandu a1, a2), B (b1) in kabupaten 1,
    Puskesmas C (c1) in kabupaten 2, and a user of every role."""

    kab1: Kabupaten
    kab2: Kabupaten
    pkm_a: Puskesmas
    pkm_b: Puskesmas
    pkm_c: Puskesmas
    a1: Posyandu
    a2: Posyandu
    b1: Posyandu
    c1: Posyandu
    kader_a1: User
    kader_a2: User
    kader_b1: User
    bidan_a: User  # covers a1 and a2
    staff_a: User  # Puskesmas A
    staff_b: User  # Puskesmas B
    dinkes_1: User  # kabupaten 1
    admin: User
    outsider: User  # no membership at all
    puskesos_a: User  # Puskesos officer of desa Kencong (posyandu a1 and a2)
    puskesos_b: User  # Puskesos officer of desa Cakru (posyandu b1)


def make_world() -> World:
    kab1 = Kabupaten.objects.create(kode="35.09", nama="Jember", provinsi="Jawa Timur")
    kab2 = Kabupaten.objects.create(kode="35.10", nama="Banyuwangi", provinsi="Jawa Timur")
    kec1 = Kecamatan.objects.create(kabupaten=kab1, kode="35.09.01", nama="Kencong")
    kec2 = Kecamatan.objects.create(kabupaten=kab2, kode="35.10.01", nama="Pesanggaran")
    pkm_a = Puskesmas.objects.create(kecamatan=kec1, kode="P3509010101", nama="Kencong")
    pkm_b = Puskesmas.objects.create(kecamatan=kec1, kode="P3509010102", nama="Cakru")
    pkm_c = Puskesmas.objects.create(kecamatan=kec2, kode="P3510010101", nama="Pesanggaran")
    desa_a = Desa.objects.create(kecamatan=kec1, puskesmas=pkm_a, kode="35.09.01.2001", nama="Kencong")
    desa_b = Desa.objects.create(kecamatan=kec1, puskesmas=pkm_b, kode="35.09.01.2002", nama="Cakru")
    desa_c = Desa.objects.create(kecamatan=kec2, puskesmas=pkm_c, kode="35.10.01.2001", nama="Sumberagung")
    a1 = Posyandu.objects.create(desa=desa_a, nama="Melati")
    a2 = Posyandu.objects.create(desa=desa_a, nama="Mawar")
    b1 = Posyandu.objects.create(desa=desa_b, nama="Anggrek")
    c1 = Posyandu.objects.create(desa=desa_c, nama="Kenanga", timezone="Asia/Jakarta")
    bidan_a = make_user("bidan_a", role=Role.BIDAN, posyandu=a1)
    Membership.objects.create(user=bidan_a, role=Role.BIDAN, posyandu=a2)
    return World(
        kab1=kab1, kab2=kab2, pkm_a=pkm_a, pkm_b=pkm_b, pkm_c=pkm_c,
        a1=a1, a2=a2, b1=b1, c1=c1,
        kader_a1=make_user("kader_a1", role=Role.KADER, posyandu=a1),
        kader_a2=make_user("kader_a2", role=Role.KADER, posyandu=a2),
        kader_b1=make_user("kader_b1", role=Role.KADER, posyandu=b1),
        bidan_a=bidan_a,
        staff_a=make_user("staff_a", role=Role.PUSKESMAS, puskesmas=pkm_a),
        staff_b=make_user("staff_b", role=Role.PUSKESMAS, puskesmas=pkm_b),
        dinkes_1=make_user("dinkes_1", role=Role.DINKES, kabupaten=kab1),
        admin=make_user("admin", role=Role.ADMIN),
        outsider=make_user("outsider"),
        puskesos_a=make_user("puskesos_a", role=Role.PUSKESOS, desa=desa_a),
        puskesos_b=make_user("puskesos_b", role=Role.PUSKESOS, desa=desa_b),
    )
