"""Reads of the posyandu team: who is on it, their skills and level, the plan
of a service day with its warnings, and who takes each step of the queue.

Callers hold the posyandu / day in scope already (fetched with
``get_for_user_or_404``); these functions read inside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from ilp.lifecycle import birth_date_range, months_before
from ilp.models import Person, Pregnancy, ServiceDay, Step, Visit
from kader.certification import SkillSummary, held_groups, skill_summary
from kader.models.team import (
    Assignment,
    KaderProfile,
    ServiceDayStaff,
    SkillVerification,
    StaffProfile,
    TrainingRecord,
)
from kader.services.team import KADER_STEPS, NAKES_STEPS, can_manage_team
from posyandu.models import Membership, Posyandu, Role
from posyandu.reference import table

PLAN_STEPS = (Step.REGISTER, Step.MEASURE, Step.RECORD, Step.EXAMINE, Step.COUNSEL)
STEP_SHORT = {
    Step.REGISTER: "Pendaftaran", Step.MEASURE: "Penimbangan & pengukuran",
    Step.RECORD: "Pencatatan", Step.EXAMINE: "Pemeriksaan", Step.COUNSEL: "Penyuluhan",
}


def display_name(user) -> str:
    return user.get_full_name() or user.username


# --------------------------------------------------------------- team
@dataclass
class KaderRow:
    profile: KaderProfile
    summary: SkillSummary

    @property
    def areas_label(self) -> str:
        return ", ".join(str(a) for a in self.profile.areas.all()) or "–"


@dataclass
class Team:
    posyandu: Posyandu
    kader: list[KaderRow]
    without_profile: list  # kader memberships (users) that have no profile yet
    nakes: list[tuple]  # (user, StaffProfile | None)
    active_count: int
    min_active: int
    min_active_source: str

    @property
    def below_minimum(self) -> bool:
        return self.active_count < self.min_active


def verified_codes_by_kader(profile_ids: Iterable[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for kader_id, code in SkillVerification.objects.filter(
        kader_id__in=list(profile_ids)
    ).values_list("kader_id", "skill_code"):
        out[kader_id].add(code)
    return out


def team_overview(*, posyandu: Posyandu, on: date) -> Team:
    skills = table("kader_skills", on)
    profiles = list(
        KaderProfile.objects.filter(posyandu=posyandu)
        .select_related("user").prefetch_related("areas")
        .order_by("-is_active", "position", "user__first_name")
    )
    order = {p: i for i, p in enumerate(KaderProfile.Position.values)}
    profiles.sort(key=lambda p: (not p.is_active, order.get(p.position, 9), display_name(p.user)))
    codes = verified_codes_by_kader(p.pk for p in profiles)
    rows = [KaderRow(p, skill_summary(codes.get(p.pk, ()), skills)) for p in profiles]
    with_profile = {p.user_id for p in profiles}
    without = [
        m.user for m in Membership.objects.filter(posyandu=posyandu, role=Role.KADER, is_active=True)
        .select_related("user").order_by("user__first_name")
        if m.user_id not in with_profile
    ]
    nakes_users = [
        m.user for m in Membership.objects.filter(posyandu=posyandu, role=Role.BIDAN, is_active=True)
        .select_related("user").order_by("user__first_name")
    ]
    staff = {s.user_id: s for s in StaffProfile.objects.filter(user__in=nakes_users)}
    team_rule = skills["team"]
    return Team(
        posyandu=posyandu, kader=rows, without_profile=without,
        nakes=[(u, staff.get(u.pk)) for u in nakes_users],
        active_count=sum(1 for p in profiles if p.is_active),
        min_active=team_rule["min_active_kader"],
        min_active_source=team_rule["min_active_kader_source"],
    )


def active_kader_counts(posyandu_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        KaderProfile.objects.filter(posyandu_id__in=list(posyandu_ids), is_active=True)
        .values_list("posyandu_id").annotate(n=Count("id")).values_list("posyandu_id", "n")
    )


@dataclass
class SkillItem:
    code: str
    label: str
    verification: SkillVerification | None


@dataclass
class SkillGroupView:
    code: str
    label: str
    items: list[SkillItem]
    verified: int
    total: int


def kader_detail(*, profile: KaderProfile, on: date) -> dict:
    skills = table("kader_skills", on)
    verifications = {
        v.skill_code: v
        for v in SkillVerification.objects.filter(kader=profile).select_related("verified_by")
    }
    summary = skill_summary(verifications, skills)
    groups = []
    for g in summary.groups:
        items = [SkillItem(s["code"], s["label"], verifications.get(s["code"]))
                 for s in skills["skills"] if s["group"] == g.code]
        groups.append(SkillGroupView(g.code, g.label, items, g.verified, g.total))
    return {
        "summary": summary,
        "groups": groups,
        "trainings": list(TrainingRecord.objects.filter(kader=profile)),
        "table_note": skills.get("version_note", ""),
        "levels": skills["levels"],
    }


# --------------------------------------------------------------- expected sasaran
def expected_counts(*, day: ServiceDay) -> dict[str, int]:
    """How many of each sasaran kind the posyandu expects on the day, as the
    ``kader_skills`` allocation table defines them: balita and ibu hamil from
    the registry (as ``ilp.selectors.day.expected_sasaran``), remaja and
    adults/lansia when they came to the posyandu in the recent months."""
    rule = table("kader_skills", day.date)["allocation"]
    bands = {g["code"]: g for g in table("lifecycle_groups", day.date)["groups"]}
    people = Person.objects.filter(posyandu_id=day.posyandu_id).living_in_area_on(day.date)
    since = months_before(day.date, rule["recent_visit_months"])
    recent = Visit.objects.filter(person=OuterRef("pk"), date__gte=since, date__lt=day.date,
                                  kind=Visit.Kind.POSYANDU)
    pregnant = Pregnancy.objects.filter(person=OuterRef("pk"), hpht__lte=day.date,
                                        outcome=Pregnancy.Outcome.ONGOING)
    aggregates = {}
    for kind in rule["sasaran"]:
        q = Q()
        for code in kind["lifecycle"]:
            earliest, latest = birth_date_range(bands[code], day.date)
            band = Q(birth_date__lte=latest)
            if earliest is not None:
                band &= Q(birth_date__gt=earliest)
            q |= band
        if kind["code"] == "ibu_hamil":
            cond = Q(Exists(pregnant))
        elif kind["expected"] == "recent_visit":
            cond = q & Q(Exists(recent))
        else:
            cond = q
        aggregates[kind["code"]] = Count("pk", filter=cond)
    return people.aggregate(**aggregates)


# --------------------------------------------------------------- plan warnings (pure)
@dataclass(frozen=True)
class PlannedStaff:
    user_id: int
    name: str
    step: int
    held_groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PlanWarning:
    code: str  # "unstaffed" | "skill_group" | "double_booked"
    message: str
    step: int | None = None
    user_id: int | None = None


def plan_warnings(*, planned: Iterable[PlannedStaff], expected: dict[str, int], rule: dict,
                  group_labels: dict[str, str],
                  elsewhere: dict[int, list[str]] | None = None) -> list[PlanWarning]:
    """Warnings of a service-day plan. Pure.

    - a step 1–5 with nobody planned;
    - a kader on a step of ``rule["skill_steps"]`` who does not hold the skill
      group of a sasaran kind expected that day (count > 0);
    - a person (the bidan) planned at another posyandu on the same date
      (``elsewhere``: user id -> names of the other posyandu).
    """
    planned = list(planned)
    out: list[PlanWarning] = []
    for step in PLAN_STEPS:
        if not any(p.step == step for p in planned):
            out.append(PlanWarning("unstaffed", f"Langkah {int(step)} ({STEP_SHORT[step]}) belum ada petugasnya.", int(step)))
    needed = [k for k in rule["sasaran"] if expected.get(k["code"], 0) > 0]
    for p in planned:
        if p.step not in rule["skill_steps"]:
            continue
        missing = [k for k in needed if k["skill_group"] not in p.held_groups]
        if missing:
            what = ", ".join(
                f"{group_labels.get(k['skill_group'], k['skill_group'])} "
                f"({expected[k['code']]} {k['label']} diharapkan)"
                for k in missing
            )
            out.append(PlanWarning(
                "skill_group",
                f"{p.name} (langkah {p.step}) belum terverifikasi keterampilan kelompok {what}.",
                p.step, p.user_id,
            ))
    seen = set()
    for p in planned:
        others = (elsewhere or {}).get(p.user_id)
        if others and p.user_id not in seen:
            seen.add(p.user_id)
            out.append(PlanWarning(
                "double_booked",
                f"{p.name} juga direncanakan di {', '.join(others)} pada tanggal yang sama.",
                p.step, p.user_id,
            ))
    return out


# --------------------------------------------------------------- plan of a day
@dataclass
class DayPlan:
    day: ServiceDay
    by_step: dict[int, list[ServiceDayStaff]]
    warnings: list[PlanWarning]
    expected: dict[str, int]
    expected_labels: dict[str, str] = field(default_factory=dict)

    def names(self, step: int) -> str:
        return ", ".join(display_name(r.user) for r in self.by_step.get(step, []))

    def steps_of(self, user_id: int) -> list[int]:
        return [s for s, rows in self.by_step.items() if any(r.user_id == user_id for r in rows)]


def day_plan(*, day: ServiceDay, with_warnings: bool = True) -> DayPlan:
    rows = list(
        ServiceDayStaff.objects.filter(service_day=day).select_related("user")
        .order_by("step", "created_at")
    )
    by_step: dict[int, list[ServiceDayStaff]] = {int(s): [] for s in PLAN_STEPS}
    for r in rows:
        by_step.setdefault(r.step, []).append(r)
    skills = table("kader_skills", day.date)
    rule = skills["allocation"]
    labels = {k["code"]: k["label"] for k in rule["sasaran"]}
    if not with_warnings:
        return DayPlan(day, by_step, [], {}, labels)
    kader_ids = {r.user_id for r in rows if r.step in KADER_STEPS}
    profiles = dict(
        KaderProfile.objects.filter(posyandu_id=day.posyandu_id, user_id__in=kader_ids)
        .values_list("user_id", "pk")
    )
    codes = verified_codes_by_kader(profiles.values())
    held = {uid: held_groups(codes.get(pid, ()), skills) for uid, pid in profiles.items()}
    elsewhere: dict[int, list[str]] = defaultdict(list)
    for uid, name in (
        ServiceDayStaff.objects.filter(user_id__in={r.user_id for r in rows},
                                       service_day__date=day.date)
        .exclude(posyandu_id=day.posyandu_id)
        .values_list("user_id", "posyandu__nama").distinct()
    ):
        elsewhere[uid].append(f"Posyandu {name}")
    planned = [
        PlannedStaff(r.user_id, display_name(r.user), r.step, held.get(r.user_id, frozenset()))
        for r in rows
    ]
    expected = expected_counts(day=day)
    group_labels = {g["code"]: g["label"].lower() for g in skills["groups"]}
    warnings = plan_warnings(planned=planned, expected=expected, rule=rule,
                             group_labels=group_labels, elsewhere=elsewhere)
    return DayPlan(day, by_step, warnings, expected, labels)


def board_routing(*, user, day: ServiceDay) -> dict:
    """What the day board needs to route the queue: who staffs each step,
    the viewer's own steps (shown first) and the plan warnings."""
    plan = day_plan(day=day, with_warnings=day.status != ServiceDay.Status.CLOSED)
    mine = sorted(plan.steps_of(user.pk))
    return {
        "plan": plan,
        "staff_names": {s: plan.names(s) for s in plan.by_step},
        "my_steps": mine,
        "can_plan": can_manage_team(user, day.posyandu_id),
    }


def next_step_staff(*, visit) -> str:
    """Names of who takes a visit at its current step (after a move)."""
    if not visit.service_day_id or visit.step not in (*KADER_STEPS, *NAKES_STEPS):
        return ""
    return ", ".join(
        display_name(r.user) for r in ServiceDayStaff.objects.filter(
            service_day_id=visit.service_day_id, step=visit.step
        ).select_related("user").order_by("created_at")
    )


# --------------------------------------------------------------- assignments
def assignments_for_user(*, user, posyandu_id: int | None = None, status: str = "open",
                         mine: bool = False):
    qs = Assignment.objects.for_user(user).select_related("assignee", "posyandu")
    if posyandu_id:
        qs = qs.filter(posyandu_id=posyandu_id)
    if status in Assignment.Status.values:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(assignee=user)
    return qs.order_by("due_on", "created_at")
