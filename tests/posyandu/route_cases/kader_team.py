"""Scoping cases of the team pages (kader/urls_team.py). Rows are made inside
the kwargs lambdas (get_or_create) so a write that got through would show in
the watched rows; ``watch`` re-reads whole tables where a route could add rows."""

from kader.models.team import (
    Assignment,
    KaderProfile,
    ServiceDayStaff,
    SkillVerification,
    TrainingRecord,
)
from posyandu.models import Membership, Role, User
from tests.posyandu.scoping_support import Route


def _kader_user(o):
    return User.objects.get(username="kader_a1")


def _profile(o):
    profile, _ = KaderProfile.objects.get_or_create(
        user=_kader_user(o), posyandu=o.day.posyandu,
        defaults={"position": "ketua", "phone": "081200000001"},
    )
    return profile


def _profile_kwargs(o):
    return {"uuid": _profile(o).uuid}


def _posyandu(o):
    _profile(o)
    return {"posyandu_id": o.day.posyandu_id}


def _unprofiled_kader(o):
    user, created = User.objects.get_or_create(username="kader_a1_baru")
    if created:
        Membership.objects.create(user=user, role=Role.KADER, posyandu=o.day.posyandu)
    return {"posyandu_id": o.day.posyandu_id}


def _staff_row(o):
    row, _ = ServiceDayStaff.objects.get_or_create(
        service_day=o.day, step=2, user=_profile(o).user, defaults={"posyandu": o.day.posyandu},
    )
    return row


def _assignment(o):
    row, _ = Assignment.objects.get_or_create(
        posyandu=o.day.posyandu, title="Rahasia: data SIP",
        defaults={"kind": "pendataan", "assignee": _profile(o).user, "due_on": o.day.date},
    )
    return row


def _all(model):
    return lambda o: list(model.objects.order_by("pk"))


ROUTES: dict[str, Route] = {
    "kader:team-detail": Route(_posyandu),
    "kader:kader-profile-create": Route(
        _unprofiled_kader, ("POST",),
        lambda o: {"kader_user": str(User.objects.get(username="kader_a1_baru").pk), "position": "kader"},
        _all(KaderProfile),
    ),
    "kader:assignment-create": Route(
        _posyandu, ("GET", "POST"),
        lambda o: {"kind": "pws", "title": "Tugas titipan", "assignee": str(_kader_user(o).pk),
                   "due_on": "2026-12-31"},
        _all(Assignment),
    ),
    "kader:kader-detail": Route(_profile_kwargs),
    "kader:kader-edit": Route(
        _profile_kwargs, ("GET", "POST"),
        lambda o: {"position": "kader", "phone": "0899", "is_active": "", "new_rw": "9", "new_rt": "9"},
        lambda o: [_profile(o)],
    ),
    "kader:kader-skill": Route(
        _profile_kwargs, ("POST",), lambda o: {"code": "B1"}, _all(SkillVerification),
    ),
    "kader:kader-training": Route(
        _profile_kwargs, ("GET", "POST"),
        lambda o: {"title": "Pelatihan titipan", "date": "2025-01-01"}, _all(TrainingRecord),
    ),
    "kader:day-plan": Route(
        lambda o: {"uuid": o.day.uuid}, ("GET", "POST"),
        lambda o: {"step": "2", "user": str(_profile(o).user.pk)}, _all(ServiceDayStaff),
    ),
    "kader:day-plan-remove": Route(
        lambda o: {"uuid": _staff_row(o).uuid}, ("POST",), lambda o: {},
        lambda o: [_staff_row(o)],
    ),
    "kader:assignment-done": Route(
        lambda o: {"uuid": _assignment(o).uuid}, ("POST",), lambda o: {"note": "x"},
        lambda o: [_assignment(o)],
    ),
    "kader:assignment-cancel": Route(
        lambda o: {"uuid": _assignment(o).uuid}, ("POST",), lambda o: {"reason": "dibatalkan orang lain"},
        lambda o: [_assignment(o)],
    ),
    "kader:accountability": Route(lambda o: {"level": "posyandu", "area_id": o.day.posyandu_id}),
}

LIST_ROUTES: dict[str, dict] = {
    "kader:team-home": {},
    "kader:staff-profile": {},
    "kader:assignment-list": {"posyandu": "1", "status": "semua"},
    "kader:accountability-home": {},
}
