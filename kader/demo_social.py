"""Demo data of the social feature: a Puskesos officer login for the desa of
the first demo posyandu, and a few social referrals in every state, made
through the real services (rules, history, who did it).

Idempotent: nothing is added when the ``puskesos`` user already has a
membership. Call after the demo area exists (``manage.py demo_data``)."""

from __future__ import annotations

from django.db import transaction

from ilp.models import Measurement, Person
from kader import social_rules
from kader.models.social import SocialReferral
from kader.services import social as svc
from posyandu.demo.generator import DemoLogin
from posyandu.models import Membership, Posyandu, Role, User
from posyandu.reference import table

USERNAME = "puskesos"
FLAGGED = ("pendek", "sangat_pendek", "BGM", "gizi_kurang", "gizi_buruk")

# (answers, the Puskesos steps after "Diajukan"; None: no referral)
CASES = [
    ({"dtsen": "tidak", "pkh": "tidak", "bpnt": "tidak", "jkn": "tidak"},
     [("diproses", {}), ("disetujui", {"aid": ["pbi_jkn", "bpnt"],
                                       "note": "Diusulkan lewat SIKS-NG"})]),
    ({"dtsen": "ya", "pkh": "tidak", "bpnt": "tidak", "jkn": "pbi"},
     [("diproses", {}), ("ditolak", {"note": "Sudah menerima bantuan pangan dari desa"})]),
    ({"dtsen": "tidak_tahu", "pkh": "tidak", "bpnt": "ya", "jkn": "tidak"},
     [("diproses", {"note": "Dicek di SIKS-NG"})]),
    ({"dtsen": "tidak", "pkh": "tidak", "bpnt": "tidak", "jkn": "tidak_tahu"}, []),
    # a protected family: screened, not referred
    ({"dtsen": "ya", "pkh": "ya", "bpnt": "ya", "jkn": "pbi"}, None),
]


def _flagged_children(posyandu: Posyandu, n: int) -> list[Person]:
    ids, seen = [], set()
    rows = (
        Measurement.objects.filter(posyandu=posyandu, person__merged_into__isnull=True)
        .order_by("person_id", "-measured_on").values_list("person_id", "flags")
    )
    for person_id, flags in rows:
        if person_id in seen:
            continue
        seen.add(person_id)  # the latest weighing only
        if set(flags or ()) & set(FLAGGED):
            ids.append(person_id)
    people = list(Person.objects.filter(id__in=ids[:n]).select_related("posyandu"))
    if len(people) < n:  # a small demo may have few flagged children: any measured child
        extra = (Person.objects.filter(posyandu=posyandu, measurements__isnull=False)
                 .exclude(id__in=[p.id for p in people]).distinct().select_related("posyandu"))
        people += list(extra[: n - len(people)])
    return people


@transaction.atomic
def seed_demo_social(*, password: str = "posyandu123") -> DemoLogin | None:
    """Create the ``puskesos`` login (desa of the first posyandu) and a few
    social referrals there. Returns its demo login line, or None when there
    is no demo area."""
    posyandu = Posyandu.objects.select_related("desa").order_by("id").first()
    if posyandu is None:
        return None
    login = DemoLogin(USERNAME, str(Role.PUSKESOS), str(posyandu.desa))
    user = User.objects.filter(username=USERNAME).first()
    if user and Membership.objects.filter(user=user).exists():
        return login
    if user is None:
        user = User.objects.create_user(USERNAME, password=password, first_name="Petugas",
                                        last_name="Puskesos")
    Membership.objects.create(user=user, role=Role.PUSKESOS, desa=posyandu.desa)
    kader = (
        Membership.objects.filter(posyandu=posyandu, role=Role.KADER, is_active=True)
        .select_related("user").order_by("user_id").first()
    )
    if kader is None:
        return login
    payload = table("social_screen")
    for person, (answers, steps) in zip(
        _flagged_children(posyandu, len(CASES)), CASES, strict=False
    ):
        flags, _ = svc.latest_flags(person)
        reasons = social_rules.reasons_for_flags(flags, payload) or ["lainnya"]
        screen, _ = svc.screen_create(
            user=kader.user, person=person, reasons=reasons, answers=answers,
            reason_other="Berat badan tidak naik" if reasons == ["lainnya"] else "",
        )
        open_ones = SocialReferral.objects.filter(person=person,
                                                  status__in=SocialReferral.OPEN_STATUSES)
        if steps is None or not screen.refer or open_ones.exists():
            continue
        referral, _ = svc.referral_create(user=kader.user, screen=screen,
                                          notes="Keluarga bersedia didata ulang")
        for status, extra in steps:
            referral = svc.referral_set_status(user=user, referral=referral, status=status,
                                               **extra)
    return login
