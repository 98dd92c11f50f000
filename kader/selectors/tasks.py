"""Reads for the follow-up pages: a kader's own tasks grouped by due date, the
posyandu's task list for the bidan and the ketua, home visits, and the
reminder list of a service day. Every query goes through the scoping entry
point (or takes an object the caller fetched through it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet

from ilp.due import due_items
from ilp.lifecycle import PregnancySpan, completed_months, groups_on
from ilp.models import ServiceDay
from ilp.screenings import immunisation_status, vitamin_a_due
from ilp.selectors.day import expected_sasaran
from kader import reminders
from kader.models.tasks import FollowUpTask, HomeVisit
from kader.models.team import KaderProfile
from kader.rules import BULAN
from posyandu.reference import table
from posyandu.scoping import posyandu_ids_for

OPEN = FollowUpTask.Status.OPEN
HARI = reminders.HARI


def _tasks(user, perm: str = "view") -> QuerySet[FollowUpTask]:
    return FollowUpTask.objects.for_user(user, perm).select_related(
        "person", "posyandu", "assigned_to")


def my_open_tasks(user) -> list[FollowUpTask]:
    """Open tasks assigned to the user, earliest due first."""
    return list(_tasks(user).filter(assigned_to=user, status=OPEN).order_by("due_on", "pk"))


def ketua_posyandu_ids(user) -> set[int]:
    """Posyandu where the user is the active ketua (coordinator) of the kader."""
    if not getattr(user, "is_authenticated", False):
        return set()
    in_scope = posyandu_ids_for(user, "service.kader")
    return set(KaderProfile.objects.filter(
        user=user, is_active=True, position=KaderProfile.Position.KETUA,
        posyandu_id__in=in_scope).values_list("posyandu_id", flat=True))


def unassigned_open_tasks(user) -> list[FollowUpTask]:
    """Open tasks nobody is responsible for, in the posyandu the user
    coordinates (ketua) or covers as bidan."""
    ids = ketua_posyandu_ids(user) | set(posyandu_ids_for(user, "service.bidan"))
    if not ids:
        return []
    return list(_tasks(user).filter(posyandu_id__in=ids, assigned_to__isnull=True,
                                    status=OPEN).order_by("due_on", "pk"))


def sees_posyandu_list(user) -> bool:
    """The posyandu's task list is for the bidan, the ketua and the Puskesmas
    (a plain kader has "Tugas saya")."""
    if posyandu_ids_for(user, "team.manage") or ketua_posyandu_ids(user):
        return True
    return bool(posyandu_ids_for(user, "view")) and not posyandu_ids_for(user, "service.kader")


def day_label(d: date, today: date) -> str:
    if d == today:
        return "Hari ini"
    if d == today + timedelta(days=1):
        return "Besok"
    text = f"{HARI[d.weekday()]}, {d.day} {BULAN[d.month - 1]}"
    return text + (f" {d.year}" if d.year != today.year else "")


@dataclass
class DueGroup:
    label: str
    late: bool
    tasks: list = field(default_factory=list)


def group_by_due(tasks: list[FollowUpTask], today: date) -> list[DueGroup]:
    """Late tasks first (one group), then one group per due date."""
    late = DueGroup("Terlambat", True)
    groups: dict[date, DueGroup] = {}
    for t in sorted(tasks, key=lambda t: (t.due_on, t.pk)):
        if t.due_on < today:
            late.tasks.append(t)
        else:
            groups.setdefault(t.due_on, DueGroup(day_label(t.due_on, today), False)).tasks.append(t)
    return ([late] if late.tasks else []) + list(groups.values())


def posyandu_tasks(user, *, posyandu_id: int | None = None, kader: str = "",
                   status: str = OPEN) -> QuerySet[FollowUpTask]:
    """Tasks of the posyandu in the user's scope; ``kader`` is a user id or
    "none" (unassigned); ``status`` open/done/cancelled or "" for all."""
    qs = _tasks(user)
    if posyandu_id:
        qs = qs.filter(posyandu_id=posyandu_id)
    if kader == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif kader.isdigit():
        qs = qs.filter(assigned_to_id=int(kader))
    if status in FollowUpTask.Status.values:
        qs = qs.filter(status=status)
    order = ("due_on", "pk") if status == OPEN else ("-updated_at", "-pk")
    return qs.order_by(*order)


def kader_choices(user, posyandu_ids) -> list[tuple[str, str]]:
    """Kader of these posyandu (in scope) for the list filter."""
    profiles = (KaderProfile.objects.for_user(user).filter(posyandu_id__in=posyandu_ids)
                .select_related("user").order_by("user__first_name", "user__username"))
    seen, out = set(), []
    for p in profiles:
        if p.user_id not in seen:
            seen.add(p.user_id)
            out.append((str(p.user_id), str(p)))
    return out


def home_visits(user) -> QuerySet[HomeVisit]:
    return HomeVisit.objects.for_user(user).select_related(
        "person", "posyandu", "made_by", "task", "visit__measurement")


# --------------------------------------------------------------------------
# reminders

REMINDER_ITEMS = ("timbang", "vitamin_a", "anc", "skilas")  # besides imunisasi_*


@dataclass(frozen=True)
class ReminderRow:
    person: object
    reminder: reminders.Reminder
    groups: tuple[str, ...]


def upcoming_days(user, today: date) -> QuerySet[ServiceDay]:
    return (ServiceDay.objects.for_user(user, "service.kader")
            .filter(date__gte=today).exclude(status=ServiceDay.Status.CLOSED)
            .select_related("posyandu").order_by("date")[:20])


def _due_words(person, on: date, bands: dict, schedule: dict) -> tuple[list[str], list[str]]:
    age = completed_months(person.birth_date, on)
    spans = [PregnancySpan(p.hpht, p.outcome_date) for p in person.pregnancies.all()]
    groups = groups_on(birth_date=person.birth_date, on=on, bands=bands, pregnancies=spans)
    doses = []
    if age < 24:
        given = {i.vaccine: i.given_on for i in person.immunisations.all()}
        doses = immunisation_status(birth_date=person.birth_date, on=on, given=given,
                                    schedule_payload=schedule)
    vit_a = None
    if age < 60:
        code = vitamin_a_due(
            birth_date=person.birth_date, on=on, payload=schedule,
            given_dates=[s.given_on for s in person.supplements.all()
                         if s.kind.startswith("vitamin_a")])
        if code:
            vit_a = next((d["label"] for d in schedule["vitamin_a"]["doses"]
                          if d["code"] == code), "Vitamin A")
    items = due_items(on=on, age_months=age, sex=person.sex, groups=groups,
                      immunisations=doses, vitamin_a=vit_a)
    words = [i.label for i in items if i.code in REMINDER_ITEMS]
    doses = [i for i in items if i.code.startswith("imunisasi_")]
    if doses:  # one item for all doses: "Imunisasi BCG, Polio tetes 1 (ada yang terlambat)"
        names = [d.label.removeprefix("Imunisasi ").removesuffix(" (terlambat, kejar)")
                 for d in doses]
        late = " (ada yang terlambat)" if any(d.urgent for d in doses) else ""
        words.insert(1 if words else 0, "Imunisasi " + ", ".join(names) + late)
    return words, groups


def reminder_rows(day: ServiceDay) -> tuple[list[ReminderRow], str]:
    """Each expected sasaran of ``day`` with what is due, the phone to use (the
    person's, else the mother's) and the ready message; and the group message.
    The day was fetched through scoping by the caller."""
    on = day.date
    bands = table("lifecycle_groups", on)
    schedule = table("immunisation_schedule", on)
    people = (expected_sasaran(day=day).select_related("mother", "household")
              .prefetch_related("pregnancies", "immunisations", "supplements")
              .order_by("rw", "rt", "name"))
    posyandu = str(day.posyandu)
    place = day.place or day.posyandu.alamat
    rows = []
    counts = {"Penimbangan balita": 0, "Pemeriksaan ibu hamil": 0, "Imunisasi": 0,
              "Vitamin A": 0}
    for person in people:
        words, groups = _due_words(person, on, bands, schedule)
        is_child = "balita" in groups
        mother = person.mother
        addressee = (mother.name if mother else person.mother_name) if is_child else person.name
        phone = person.phone or (mother.phone if mother else "")
        text = reminders.person_message(posyandu=posyandu, on=on, place=place, name=person.name,
                                        addressee=addressee, is_child=is_child, due=words)
        rows.append(ReminderRow(
            person=person, groups=tuple(groups),
            reminder=reminders.Reminder(
                name=person.name, addressee=addressee, phone=phone or None, due=tuple(words),
                text=text, link=reminders.wa_link(phone, text)),
        ))
        counts["Penimbangan balita"] += is_child
        counts["Pemeriksaan ibu hamil"] += "ibu_hamil" in groups
        counts["Imunisasi"] += any(w.startswith("Imunisasi") for w in words)
        counts["Vitamin A"] += any(w.startswith("Vitamin A") for w in words)
    group = reminders.group_message(posyandu=posyandu, on=on, place=place, counts=counts)
    return rows, group
