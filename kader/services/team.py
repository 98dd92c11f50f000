"""Writes of the posyandu team: kader profiles and areas, bidan/perawat
profiles, skill verification, trainings, service-day staffing and assignments.

Who may manage a posyandu's team (edit profiles, verify skills, plan a service
day, give assignments): a holder of ``team.manage`` on it (bidan covering it,
Puskesmas staff, admin), or the active ketua kader of that posyandu.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ilp.models import ServiceDay, Step
from kader.certification import skills_by_code
from kader.models.team import (
    Assignment,
    KaderProfile,
    ServiceDayStaff,
    SkillVerification,
    StaffProfile,
    TrainingRecord,
)
from posyandu.models import Membership, Posyandu, Role, RtRw, User
from posyandu.reference import table
from posyandu.scoping import has_perm

KADER_STEPS = (Step.REGISTER, Step.MEASURE, Step.RECORD, Step.COUNSEL)
NAKES_STEPS = (Step.EXAMINE,)
_DIGITS = re.compile(r"^\d{1,3}$")


# --------------------------------------------------------------- permissions
def is_ketua(user, posyandu_id: int) -> bool:
    """The user is the active ketua kader of this posyandu (and still holds
    an active kader membership there)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        has_perm(user, "service.kader", posyandu_id)
        and KaderProfile.objects.filter(
            user=user, posyandu_id=posyandu_id, is_active=True,
            position=KaderProfile.Position.KETUA,
        ).exists()
    )


def can_manage_team(user, posyandu_id: int) -> bool:
    return has_perm(user, "team.manage", posyandu_id) or is_ketua(user, posyandu_id)


def require_team_manager(user, posyandu_id: int, action: str = "mengelola tim kader") -> None:
    if not has_perm(user, "view", posyandu_id):
        raise PermissionDenied("Anda tidak berwenang untuk posyandu ini.")
    if not can_manage_team(user, posyandu_id):
        raise PermissionDenied(
            f"Hanya bidan, petugas Puskesmas atau ketua kader posyandu ini yang dapat {action}."
        )


# --------------------------------------------------------------- RT/RW areas
def _rt_rw_value(value: str, label: str) -> str:
    value = (value or "").strip()
    if not _DIGITS.match(value):
        raise ValidationError({label.lower(): f"{label} diisi angka, misalnya 003."})
    return value.zfill(3)


def rtrw_add(*, user, posyandu: Posyandu, rt: str, rw: str) -> RtRw:
    """Add an RT/RW to the posyandu's area (idempotent)."""
    require_team_manager(user, posyandu.pk, "menambah RT/RW")
    rt, rw = _rt_rw_value(rt, "RT"), _rt_rw_value(rw, "RW")
    row, _ = RtRw.objects.get_or_create(posyandu=posyandu, rw=rw, rt=rt)
    return row


# --------------------------------------------------------------- profiles
def _check_ketua_free(profile: KaderProfile) -> None:
    if profile.position != KaderProfile.Position.KETUA or not profile.is_active:
        return
    other = (
        KaderProfile.objects.filter(posyandu_id=profile.posyandu_id, is_active=True,
                                    position=KaderProfile.Position.KETUA)
        .exclude(pk=profile.pk).select_related("user").first()
    )
    if other:
        raise ValidationError({"position": (
            f"Posyandu ini sudah punya ketua kader aktif ({other}). "
            "Ubah dulu jabatan ketua yang lama."
        )})


@transaction.atomic
def kader_profile_create(*, user, posyandu: Posyandu, kader_user, position: str = "kader",
                         phone: str = "") -> KaderProfile:
    """A profile for a user who holds an active kader membership of the posyandu."""
    require_team_manager(user, posyandu.pk, "menambah profil kader")
    if not Membership.objects.filter(user=kader_user, posyandu=posyandu, role=Role.KADER,
                                     is_active=True).exists():
        raise ValidationError("Pengguna ini bukan kader aktif posyandu ini.")
    profile, created = KaderProfile.objects.get_or_create(
        user=kader_user, posyandu=posyandu,
        defaults={"position": position, "phone": phone.strip(), "active_since": timezone.localdate()},
    )
    if created:
        _check_ketua_free(profile)
    return profile


@transaction.atomic
def kader_profile_update(*, user, profile: KaderProfile, position: str, phone: str,
                         is_active: bool, areas=(), new_rt: str = "", new_rw: str = "") -> KaderProfile:
    """Position, phone, active flag and the RT/RW the kader monitors. A new
    RT/RW typed on the form is added to the posyandu's area and to the kader."""
    require_team_manager(user, profile.posyandu_id, "mengubah profil kader")
    profile = KaderProfile.objects.select_for_update().get(pk=profile.pk)
    if position not in KaderProfile.Position.values:
        raise ValidationError({"position": "Pilih jabatan dari daftar."})
    areas = list(areas)
    if any(a.posyandu_id != profile.posyandu_id for a in areas):
        raise ValidationError({"areas": "RT/RW harus dari wilayah posyandu ini."})
    if new_rt or new_rw:
        areas.append(rtrw_add(user=user, posyandu=profile.posyandu, rt=new_rt, rw=new_rw))
    was_active = profile.is_active
    profile.position, profile.phone, profile.is_active = position, phone.strip(), is_active
    if is_active and not was_active:
        profile.active_since = timezone.localdate()
    _check_ketua_free(profile)
    profile._history_user = user
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:  # a parallel save made another ketua
        raise ValidationError({"position": "Posyandu ini sudah punya ketua kader aktif."}) from None
    profile.areas.set(areas)
    return profile


@transaction.atomic
def staff_profile_save(*, user, kind: str, phone: str = "", nip: str = "") -> StaffProfile:
    """A bidan/perawat keeps her own profile (profession, phone, NIP)."""
    if not Membership.objects.filter(user=user, role=Role.BIDAN, is_active=True).exists():
        raise PermissionDenied("Profil ini hanya untuk bidan atau perawat yang membina posyandu.")
    if kind not in StaffProfile.Kind.values:
        raise ValidationError({"kind": "Pilih bidan atau perawat."})
    nip = (nip or "").replace(" ", "")
    if nip and not re.fullmatch(r"\d{18}", nip):
        raise ValidationError({"nip": "NIP terdiri dari 18 angka."})
    profile, _ = StaffProfile.objects.select_for_update().get_or_create(user=user)
    profile.kind, profile.phone, profile.nip = kind, phone.strip(), nip
    profile._history_user = user
    profile.save()
    return profile


# --------------------------------------------------------------- skills and training
def _skill(code: str, on: date) -> dict:
    skill = skills_by_code(table("kader_skills", on)).get(code)
    if skill is None:
        raise ValidationError("Kode keterampilan tidak dikenal.")
    return skill


@transaction.atomic
def skill_verify(*, user, kader: KaderProfile, skill_code: str, note: str = "",
                 on: date | None = None) -> tuple[SkillVerification, bool]:
    """Mark one skill verified (one tap; a double tap saves once)."""
    require_team_manager(user, kader.posyandu_id, "memverifikasi keterampilan kader")
    if kader.user_id == user.pk and not has_perm(user, "team.manage", kader.posyandu_id):
        raise PermissionDenied("Keterampilan Anda sendiri diverifikasi oleh bidan pembina.")
    on = on or timezone.localdate()
    _skill(skill_code, on)
    KaderProfile.objects.select_for_update().get(pk=kader.pk)  # serialise double taps
    row, created = SkillVerification.objects.get_or_create(
        kader=kader, skill_code=skill_code,
        defaults={"verified_by": user, "verified_on": on, "note": note.strip()[:200]},
    )
    return row, created


@transaction.atomic
def skill_unverify(*, user, kader: KaderProfile, skill_code: str) -> bool:
    """Undo a verification tapped by mistake."""
    require_team_manager(user, kader.posyandu_id, "memverifikasi keterampilan kader")
    if kader.user_id == user.pk and not has_perm(user, "team.manage", kader.posyandu_id):
        raise PermissionDenied("Keterampilan Anda sendiri diverifikasi oleh bidan pembina.")
    deleted, _ = SkillVerification.objects.filter(kader=kader, skill_code=skill_code).delete()
    return bool(deleted)


@transaction.atomic
def training_record(*, user, kader: KaderProfile, title: str, on: date, provider: str = "",
                    certificate_no: str = "") -> TrainingRecord:
    """A training the kader attended; the kader herself may record it too."""
    if kader.user_id != user.pk:
        require_team_manager(user, kader.posyandu_id, "mencatat pelatihan kader lain")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "Isi nama pelatihan."})
    if on > timezone.localdate():
        raise ValidationError({"date": "Tanggal pelatihan belum lewat."})
    return TrainingRecord.objects.create(
        kader=kader, title=title[:200], provider=provider.strip()[:120], date=on,
        certificate_no=certificate_no.strip()[:80], recorded_by=user,
    )


# --------------------------------------------------------------- service-day plan
def _kader_q(posyandu_id: int) -> Q:
    kader = KaderProfile.objects.filter(posyandu_id=posyandu_id, is_active=True).values("user_id")
    member = Membership.objects.filter(posyandu_id=posyandu_id, role=Role.KADER,
                                       is_active=True).values("user_id")
    return Q(pk__in=kader) & Q(pk__in=member)


def _nakes_q(posyandu_id: int) -> Q:
    return Q(pk__in=Membership.objects.filter(posyandu_id=posyandu_id, role=Role.BIDAN,
                                              is_active=True).values("user_id"))


def eligible_staff(posyandu_id: int, step: int):
    """Users who may staff ``step`` at this posyandu: active kader with a
    profile for steps 1, 2, 3, 5; bidan/perawat covering it for step 4."""
    if step in NAKES_STEPS:
        q = _nakes_q(posyandu_id)
    elif step in KADER_STEPS:
        q = _kader_q(posyandu_id)
    else:
        return User.objects.none()
    return User.objects.filter(q, is_active=True).order_by("first_name", "username")


@transaction.atomic
def staff_plan_add(*, user, day: ServiceDay, step: int, staff_user) -> tuple[ServiceDayStaff, bool]:
    require_team_manager(user, day.posyandu_id, "merencanakan petugas hari buka")
    day = ServiceDay.objects.select_for_update().get(pk=day.pk)
    if day.status == ServiceDay.Status.CLOSED:
        raise ValidationError("Hari buka ini sudah ditutup; rencana petugas tidak dapat diubah.")
    try:
        step = int(step)
    except (TypeError, ValueError):
        raise ValidationError({"step": "Pilih langkah 1 sampai 5."}) from None
    if step not in (*KADER_STEPS, *NAKES_STEPS):
        raise ValidationError({"step": "Pilih langkah 1 sampai 5."})
    if not eligible_staff(day.posyandu_id, step).filter(pk=staff_user.pk).exists():
        if step in NAKES_STEPS:
            raise ValidationError({"user": "Langkah 4 dilayani bidan/perawat yang membina posyandu ini."})
        raise ValidationError({"user": "Langkah 1, 2, 3 dan 5 dilayani kader aktif posyandu ini."})
    row, created = ServiceDayStaff.objects.get_or_create(
        service_day=day, step=step, user=staff_user,
        defaults={"posyandu_id": day.posyandu_id, "planned_by": user},
    )
    return row, created


@transaction.atomic
def staff_plan_remove(*, user, row: ServiceDayStaff) -> None:
    require_team_manager(user, row.posyandu_id, "merencanakan petugas hari buka")
    day = ServiceDay.objects.select_for_update().get(pk=row.service_day_id)
    if day.status == ServiceDay.Status.CLOSED:
        raise ValidationError("Hari buka ini sudah ditutup; rencana petugas tidak dapat diubah.")
    ServiceDayStaff.objects.filter(pk=row.pk).delete()


# --------------------------------------------------------------- assignments
def assignees(posyandu_id: int):
    """Active kader with a profile and bidan covering the posyandu."""
    return User.objects.filter(
        _kader_q(posyandu_id) | _nakes_q(posyandu_id), is_active=True
    ).order_by("first_name", "username")


@transaction.atomic
def assignment_create(*, user, posyandu: Posyandu, kind: str, title: str, assignee,
                      due_on: date) -> Assignment:
    require_team_manager(user, posyandu.pk, "memberi penugasan")
    if kind not in Assignment.Kind.values:
        raise ValidationError({"kind": "Pilih jenis tugas dari daftar."})
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "Tuliskan uraian tugas."})
    if not assignees(posyandu.pk).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": "Petugas harus kader aktif atau bidan posyandu ini."})
    row = Assignment(posyandu=posyandu, kind=kind, title=title[:200], assignee=assignee,
                     due_on=due_on, created_by=user)
    row._history_user = user
    row.save()
    return row


def _lock_open(assignment: Assignment) -> Assignment:
    row = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if row.status != Assignment.Status.OPEN:
        raise ValidationError(f"Tugas ini sudah {row.get_status_display().lower()}.")
    return row


@transaction.atomic
def assignment_complete(*, user, assignment: Assignment, note: str = "") -> Assignment:
    """The assignee (or a team manager) marks the task done."""
    if assignment.assignee_id != user.pk:
        require_team_manager(user, assignment.posyandu_id, "menyelesaikan tugas orang lain")
    elif not has_perm(user, "view", assignment.posyandu_id):
        raise PermissionDenied("Anda tidak berwenang untuk posyandu ini.")
    row = _lock_open(assignment)
    row.status, row.result_note = Assignment.Status.DONE, note.strip()[:200]
    row.closed_at, row.closed_by = timezone.now(), user
    row._history_user = user
    row.save()
    return row


@transaction.atomic
def assignment_cancel(*, user, assignment: Assignment, reason: str) -> Assignment:
    require_team_manager(user, assignment.posyandu_id, "membatalkan penugasan")
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise ValidationError({"reason": "Tuliskan alasan pembatalan."})
    row = _lock_open(assignment)
    row.status, row.cancel_reason = Assignment.Status.CANCELLED, reason[:200]
    row.closed_at, row.closed_by = timezone.now(), user
    row._history_user = user
    row.save()
    return row
