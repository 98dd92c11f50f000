"""Follow-up pages: "Tugas saya", the posyandu's task list, a task with its
history, done / cancel, the home-visit form and page, and the reminders of a
service day. Thin: scoping, forms, services, selectors."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from ilp.models import Person, ServiceDay
from ilp.services.measurements import UnusualValues
from kader import forms_tasks as f
from kader.models.tasks import FollowUpTask, HomeVisit
from kader.reminders import wa_share_link
from kader.rules import rule_labels
from kader.selectors import tasks as sel
from kader.services.home_visit import home_visit_record
from kader.services.tasks import task_cancel, task_complete
from posyandu.forms_util import add_service_errors
from posyandu.models import Posyandu
from posyandu.reference import table
from posyandu.scoping import get_for_user_or_404, has_perm

CSS = "css/tasks.css"


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _error(request, exc) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


def _task(request, uuid) -> FollowUpTask:
    return get_for_user_or_404(
        FollowUpTask.objects.select_related("person", "posyandu", "assigned_to"),
        request.user, uuid=uuid)


# --------------------------------------------------------------------------
# tasks


@login_required
def followup_mine(request):
    today = timezone.localdate()
    mine = sel.my_open_tasks(request.user)
    unassigned = sel.unassigned_open_tasks(request.user)
    return render(request, "kader/tasks/mine.html", {
        "groups": sel.group_by_due(mine, today),
        "unassigned": sel.group_by_due(unassigned, today),
        "count": len(mine),
        "labels": rule_labels(today),
        "sees_list": sel.sees_posyandu_list(request.user),
        "cancel_form": f.CancelForm(),
        "today": today,
    })


@login_required
def followup_list(request):
    user = request.user
    posyandu = list(Posyandu.objects.for_user(user).order_by("nama").values_list("pk", "nama"))
    ids = [pk for pk, _ in posyandu]
    form = f.TaskFilterForm(
        request.GET or None, posyandu_choices=[(str(pk), name) for pk, name in posyandu],
        kader_choices=sel.kader_choices(user, ids))
    chosen = {"posyandu": "", "kader": "", "status": "open"}
    if form.is_bound and form.is_valid():
        chosen.update({k: v for k, v in form.cleaned_data.items() if v})
    status = "" if chosen["status"] == "semua" else chosen["status"]
    posyandu_id = int(chosen["posyandu"]) if str(chosen["posyandu"]).isdigit() else None
    tasks = sel.posyandu_tasks(user, posyandu_id=posyandu_id, kader=chosen["kader"],
                               status=status)[:200]
    today = timezone.localdate()
    return render(request, "kader/tasks/list.html", {
        "form": form, "tasks": tasks, "labels": rule_labels(today), "today": today,
        "status": status, "cancel_form": f.CancelForm(),
        "can_act": {pk for pk in ids if has_perm(user, "service.kader", pk)},
    })


@login_required
def followup_detail(request, uuid):
    task = _task(request, uuid)
    today = timezone.localdate()
    return render(request, "kader/tasks/detail.html", {
        "task": task, "labels": rule_labels(today), "today": today,
        "history": task.history.select_related("history_user").order_by("-history_date")[:30],
        "home_visits": task.home_visits.select_related("made_by").order_by("-date"),
        "can_act": task.is_open and has_perm(request.user, "service.kader", task.posyandu_id),
        "cancel_form": f.CancelForm(),
    })


@login_required
@require_POST
def followup_complete(request, uuid):
    task = _task(request, uuid)
    form = f.CompleteForm(request.POST)
    form.is_valid()
    try:
        task_complete(user=request.user, task=task, note=form.cleaned_data.get("note", ""))
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Tugas untuk {task.person.name} selesai.")
    return redirect(_next(request, reverse("kader:followup-mine")))


@login_required
@require_http_methods(["GET", "POST"])
def followup_cancel(request, uuid):
    task = _task(request, uuid)
    form = f.CancelForm(request.POST or None)
    back = _next(request, reverse("kader:followup-mine"))
    if request.method == "POST" and form.is_valid():
        try:
            task_cancel(user=request.user, task=task, reason=form.cleaned_data["reason"])
        except PermissionDenied as exc:
            _error(request, exc)
            return redirect(back)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Tugas untuk {task.person.name} dibatalkan.")
            return redirect(back)
    status = 422 if request.method == "POST" else 200
    return render(request, "kader/tasks/cancel.html",
                  {"task": task, "form": form, "back": back}, status=status)


# --------------------------------------------------------------------------
# home visits


def _social_url(person) -> str | None:
    """The social screen of the person (the social feature), when it exists."""
    try:
        return reverse("kader:social-screen", kwargs={"uuid": person.uuid})
    except NoReverseMatch:
        return None


def _posted_date(request, default):
    try:
        return f.HomeVisitForm.base_fields["date"].clean(request.POST.get("date")) or default
    except ValidationError:
        return default


@login_required
@require_http_methods(["GET", "POST"])
def home_visit_create(request, uuid):
    user = request.user
    person = get_for_user_or_404(Person.objects.active().select_related("posyandu", "mother"),
                                 user, "service.kader", uuid=uuid)
    task = None
    if key := (request.POST.get("tugas") or request.GET.get("tugas")):
        task = get_for_user_or_404(FollowUpTask, user, "service.kader", uuid=key)
        if task.person_id != person.pk:
            raise Http404
    today = timezone.localdate()
    on = _posted_date(request, today)
    if not person.birth_date <= on <= today:
        on = today  # the service refuses the date; the fields follow today's age
    is_bidan = has_perm(user, "service.bidan", person.posyandu_id)
    topics = table("counselling_topics", on)["topics"]
    show_confirm = "confirm_unusual" in request.POST
    form = f.HomeVisitForm(
        request.POST or None, person=person, on=on, topics=topics, is_bidan=is_bidan,
        show_confirm=show_confirm,
        initial={"date": today, "client_id": f.new_client_id(), "found": "ya"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            home, created = home_visit_record(
                user=user, person=person, on=form.cleaned_data["date"], task=task,
                data=form.service_data())
        except PermissionDenied as exc:
            _error(request, exc)
            return redirect("kader:followup-mine")
        except ValidationError as exc:
            if isinstance(exc, UnusualValues) and "confirm_unusual" not in form.fields:
                form = f.HomeVisitForm(request.POST, person=person, on=on, topics=topics,
                                       is_bidan=is_bidan, show_confirm=True)
                form.is_valid()
            add_service_errors(form, exc)
        else:
            if created:
                messages.success(request, f"Kunjungan rumah {person.name} disimpan.")
            else:
                messages.info(request, "Kunjungan rumah ini sudah tersimpan.")
            return redirect("kader:home-visit-detail", uuid=home.uuid)
    status = 422 if request.method == "POST" else 200
    return render(request, "kader/tasks/home_visit_form.html", {
        "person": person, "task": task, "form": form, "is_bidan": is_bidan,
        "labels": rule_labels(today), "social_url": _social_url(person),
    }, status=status)


@login_required
def home_visit_detail(request, uuid):
    home = get_for_user_or_404(
        HomeVisit.objects.select_related("person", "posyandu", "made_by", "task", "visit",
                                         "referral"),
        request.user, uuid=uuid)
    visit = home.visit
    topics = {t["code"]: t["label"] for t in table("counselling_topics", home.date)["topics"]}
    return render(request, "kader/tasks/home_visit_detail.html", {
        "home": home, "person": home.person,
        "measurement": getattr(visit, "measurement", None),
        "exam": getattr(visit, "examination", None),
        "topics": [topics.get(c, c) for c in home.topics],
        "social_url": _social_url(home.person),
        "can_add": has_perm(request.user, "service.kader", home.posyandu_id),
    })


@login_required
def home_visit_list(request):
    visits = sel.home_visits(request.user).order_by("-date", "-created_at")[:100]
    return render(request, "kader/tasks/home_visit_list.html", {"visits": visits})


# --------------------------------------------------------------------------
# reminders


@login_required
def reminder_list(request):
    today = timezone.localdate()
    days = list(sel.upcoming_days(request.user, today))
    return render(request, "kader/tasks/reminder_list.html", {
        "days": days, "today": today, "tomorrow": today + timedelta(days=1),
    })


@login_required
def reminder_day(request, uuid):
    day = get_for_user_or_404(ServiceDay.objects.select_related("posyandu"), request.user,
                              "service.kader", uuid=uuid)
    rows, group = sel.reminder_rows(day)
    return render(request, "kader/tasks/reminder_day.html", {
        "day": day, "rows": rows, "group_text": group,
        "group_link": wa_share_link(group),
        "with_phone": sum(1 for r in rows if r.reminder.link),
    })
