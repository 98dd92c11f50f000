"""Accountability (issue 5 item 7), per posyandu or per Puskesmas: tasks open
and done per kader, home visits made, referrals and their outcomes, skill
coverage and certification, and whether each month's data was entered and
reported on time. Aggregate queries over the area's posyandu ids (the caller
resolved the area through ``reports.areas.area_for_user``, i.e. scoped).

A month's data counts as *entered* when the posyandu has visits or
measurements dated in it; it is *reported on time* when a ready posyandu
report (reports.Report) for the month was finished by the 5th of the next
month (``report_timeliness``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ilp.lifecycle import months_before
from ilp.models import Measurement, Referral, Visit
from kader.certification import skill_summary
from kader.models.team import Assignment, KaderProfile
from kader.selectors.team import display_name, verified_codes_by_kader
from posyandu.models import Posyandu
from posyandu.months import month_start as first_of_month
from posyandu.reference import table

REPORT_DUE_DAY = 5  # a month's report is due by the 5th of the next month


# --------------------------------------------------------------- pure rules
def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def report_deadline(month: date) -> date:
    return next_month(month).replace(day=REPORT_DUE_DAY)


def report_timeliness(month: date, finished_on: date | None, today: date) -> str:
    """"tepat" (finished by the deadline), "terlambat" (finished later),
    "belum" (missing and past the deadline) or "menunggu" (not due yet)."""
    deadline = report_deadline(month)
    if finished_on is not None:
        return "tepat" if finished_on <= deadline else "terlambat"
    return "menunggu" if today <= deadline else "belum"


def months_window(end_month: date, n: int) -> list[date]:
    """``n`` first-of-month dates ending with ``end_month``, oldest first."""
    out = [first_of_month(end_month)]
    for _ in range(n - 1):
        out.append(first_of_month(months_before(out[-1], 1)))
    return list(reversed(out))


# --------------------------------------------------------------- result shapes
@dataclass
class KaderLine:
    name: str
    posyandu: str
    position: str
    is_active: bool
    tasks_open: int = 0
    tasks_overdue: int = 0
    tasks_done: int = 0
    assignments_open: int = 0
    assignments_done: int = 0
    home_visits: int = 0
    referrals: int = 0
    skills: int = 0
    level: str = ""


@dataclass
class MonthCell:
    month: date
    visits: int
    measurements: int
    report: str  # tepat / terlambat / belum / menunggu
    report_on: date | None

    @property
    def entered(self) -> bool:
        return self.visits > 0 or self.measurements > 0


@dataclass
class PosyanduLine:
    posyandu: Posyandu
    active_kader: int = 0
    levels: dict = field(default_factory=dict)  # level label -> count of active kader
    groups: dict = field(default_factory=dict)  # group code -> active kader holding it
    months: list[MonthCell] = field(default_factory=list)
    health_referrals: dict = field(default_factory=dict)  # status -> n
    social_referrals: dict = field(default_factory=dict)


@dataclass
class Accountability:
    months: list[date]
    start: date
    end: date  # exclusive
    kader: list[KaderLine]
    posyandu: list[PosyanduLine]
    groups: list[dict]
    level_labels: list[str]
    health_statuses: list[tuple[str, str]]
    social_statuses: list[tuple[str, str]]
    missing: list[str]  # features not available (models not installed yet)
    min_active: int = 5

    @property
    def totals(self) -> dict:
        return {
            "tasks_open": sum(k.tasks_open for k in self.kader),
            "tasks_done": sum(k.tasks_done for k in self.kader),
            "home_visits": sum(k.home_visits for k in self.kader),
            "assignments_open": sum(k.assignments_open for k in self.kader),
            "assignments_done": sum(k.assignments_done for k in self.kader),
        }


def _task_models():
    try:
        from kader.models.tasks import FollowUpTask, HomeVisit
    except ImportError:
        return None, None
    return FollowUpTask, HomeVisit


def _social_referral_model():
    try:
        from kader.models.social import SocialReferral
    except ImportError:
        return None
    return SocialReferral


def _report_model():
    try:
        from reports.models import Report
    except ImportError:
        return None
    return Report


def _by(rows, key, value="n"):
    return {r[key]: r[value] for r in rows}


def accountability(*, posyandu_ids, n_months: int = 6, today: date | None = None) -> Accountability:
    today = today or timezone.localdate()
    ids = list(posyandu_ids)
    months = months_window(today, n_months)
    start, end = months[0], next_month(months[-1])
    skills = table("kader_skills", today)
    missing: list[str] = []
    posyandu = {p.pk: p for p in Posyandu.objects.filter(pk__in=ids).order_by("nama")}

    # ---- kader lines: profiles, skills, level
    profiles = list(KaderProfile.objects.filter(posyandu_id__in=ids)
                    .select_related("user", "posyandu").order_by("posyandu__nama", "user__first_name"))
    codes = verified_codes_by_kader(p.pk for p in profiles)
    lines: dict[int, KaderLine] = {}
    summaries = {}
    for p in profiles:
        s = skill_summary(codes.get(p.pk, ()), skills)
        summaries[p.pk] = s
        lines.setdefault(p.user_id, KaderLine(
            display_name(p.user), str(p.posyandu), p.get_position_display(), p.is_active,
            skills=s.verified, level=s.level_label,
        ))

    def line(user_id):
        return lines.get(user_id)

    # ---- follow-up tasks and home visits (kader.models.tasks)
    FollowUpTask, HomeVisit = _task_models()
    if FollowUpTask is None:
        missing.append("tugas tindak lanjut dan kunjungan rumah")
    else:
        for r in (FollowUpTask.objects.filter(posyandu_id__in=ids, assigned_to__isnull=False)
                  .values("assigned_to")
                  .annotate(open=Count("pk", filter=Q(status="open")),
                            overdue=Count("pk", filter=Q(status="open", due_on__lt=today)),
                            done=Count("pk", filter=Q(status="done", done_at__date__gte=start,
                                                      done_at__date__lt=end)))):
            if ln := line(r["assigned_to"]):
                ln.tasks_open, ln.tasks_overdue, ln.tasks_done = r["open"], r["overdue"], r["done"]
        for r in (HomeVisit.objects.filter(posyandu_id__in=ids, date__gte=start, date__lt=end)
                  .values("made_by").annotate(n=Count("pk"))):
            if ln := line(r["made_by"]):
                ln.home_visits = r["n"]

    # ---- assignments (this feature)
    for r in (Assignment.objects.filter(posyandu_id__in=ids).values("assignee")
              .annotate(open=Count("pk", filter=Q(status="open")),
                        done=Count("pk", filter=Q(status="done", closed_at__date__gte=start,
                                                  closed_at__date__lt=end)))):
        if ln := line(r["assignee"]):
            ln.assignments_open, ln.assignments_done = r["open"], r["done"]

    # ---- referrals made, by posyandu and status; per kader the ones they made
    in_window = Q(created_at__date__gte=start, created_at__date__lt=end)
    health = defaultdict(dict)
    for r in (Referral.objects.filter(in_window, posyandu_id__in=ids)
              .values("posyandu_id", "status").annotate(n=Count("pk"))):
        health[r["posyandu_id"]][r["status"]] = r["n"]
    made = defaultdict(int)
    for r in Referral.objects.filter(in_window, posyandu_id__in=ids).values("made_by").annotate(n=Count("pk")):
        made[r["made_by"]] += r["n"]
    social = defaultdict(dict)
    SocialReferral = _social_referral_model()
    if SocialReferral is None:
        missing.append("rujukan Puskesos")
    else:
        for r in (SocialReferral.objects.filter(in_window, posyandu_id__in=ids)
                  .values("posyandu_id", "status").annotate(n=Count("pk"))):
            social[r["posyandu_id"]][r["status"]] = r["n"]
        for r in (SocialReferral.objects.filter(in_window, posyandu_id__in=ids)
                  .values("made_by").annotate(n=Count("pk"))):
            made[r["made_by"]] += r["n"]
    for user_id, n in made.items():
        if ln := line(user_id):
            ln.referrals = n

    # ---- data entered per month, and reports on time
    visits = defaultdict(int)
    for r in (Visit.objects.filter(posyandu_id__in=ids, date__gte=start, date__lt=end)
              .annotate(m=TruncMonth("date")).values("posyandu_id", "m").annotate(n=Count("pk"))):
        visits[(r["posyandu_id"], r["m"])] = r["n"]
    measured = defaultdict(int)
    for r in (Measurement.objects.filter(posyandu_id__in=ids, measured_on__gte=start, measured_on__lt=end)
              .annotate(m=TruncMonth("measured_on")).values("posyandu_id", "m").annotate(n=Count("pk"))):
        measured[(r["posyandu_id"], r["m"])] = r["n"]
    reported: dict[tuple[int, date], date] = {}
    Report = _report_model()
    if Report is None:
        missing.append("laporan bulanan")
    else:
        for r in (Report.objects.filter(level="posyandu", posyandu_id__in=ids, status="ready",
                                        month__gte=start, month__lt=end, finished_at__isnull=False)
                  .values("posyandu_id", "month").annotate(first=Min("finished_at"))):
            reported[(r["posyandu_id"], r["month"])] = timezone.localtime(r["first"]).date()

    # ---- per posyandu: skill coverage among active kader, months, referrals
    group_rows = sorted(skills["groups"], key=lambda g: g["order"])
    level_labels = [lv["label"] for lv in sorted(skills["levels"], key=lambda lv: lv["order"])]
    level_labels.append("Belum Purwa")
    out_posyandu = []
    for pid, pos in posyandu.items():
        pl = PosyanduLine(pos, levels={lbl: 0 for lbl in level_labels},
                          groups={g["code"]: 0 for g in group_rows})
        for p in profiles:
            if p.posyandu_id != pid or not p.is_active:
                continue
            s = summaries[p.pk]
            pl.active_kader += 1
            pl.levels[s.level_label] += 1
            for code in s.complete_groups:
                pl.groups[code] += 1
        for m in months:
            pl.months.append(MonthCell(
                m, visits[(pid, m)], measured[(pid, m)],
                report_timeliness(m, reported.get((pid, m)), today) if Report else "",
                reported.get((pid, m)),
            ))
        pl.health_referrals = health.get(pid, {})
        pl.social_referrals = social.get(pid, {})
        out_posyandu.append(pl)

    return Accountability(
        months=months, start=start, end=end,
        kader=list(lines.values()), posyandu=out_posyandu, groups=group_rows,
        level_labels=level_labels,
        health_statuses=list(Referral.Status.choices),
        social_statuses=list(SocialReferral.Status.choices) if SocialReferral else [],
        missing=missing, min_active=skills["team"]["min_active_kader"],
    )
