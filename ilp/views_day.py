"""Service-day pages: the board (queue), registration, and one page per visit
that shows the step the person is at. Thin: scoping, forms, services."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ilp import forms_day as f
from ilp.models import Person, ServiceDay, Step, Visit
from ilp.selectors import day as sel
from ilp.selectors.exam import step4_context
from ilp.selectors.registry import person_search
from ilp.selectors.visit import counselling_topics, step2_fields, visit_context
from ilp.services import day as services
from ilp.services.measurements import (
    UnusualValues,
    measurement_trend_override,
)
from ilp.services.measurements import visit_measure as visit_measure_service
from kader.selectors.team import board_routing, next_step_staff
from posyandu.forms_util import add_service_errors
from posyandu.models import Posyandu
from posyandu.scoping import get_for_user_or_404, has_perm


def _error(request, exc):
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


@login_required
@require_http_methods(["GET", "POST"])
def service_day_list(request):
    user = request.user
    form = f.ServiceDayForm(
        request.POST or None,
        posyandu_qs=Posyandu.objects.for_user(user, "service.kader").select_related("desa"),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            day = services.service_day_schedule(user=user, posyandu=d["posyandu"], on=d["date"],
                                                place=d["place"])
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc) if isinstance(exc, ValidationError) else _error(request, exc)
        else:
            return redirect("ilp:day-detail", uuid=day.uuid)
    days = sel.service_days_for_user(user=user)[:30]
    return render(request, "ilp/day_list.html", {"days": days, "form": form,
                                                 "can_schedule": form.fields["posyandu"].queryset.exists()})


@login_required
def service_day_detail(request, uuid):
    day = get_for_user_or_404(ServiceDay.objects.select_related("posyandu"), request.user, uuid=uuid)
    q = request.GET.get("q", "")
    if q:
        found = person_search(user=request.user, q=q, posyandu_id=day.posyandu_id)[:15]
    elif day.status == ServiceDay.Status.OPEN:  # who is expected and not here yet
        found = sel.absentees(day=day).select_related("mother")[:30]
    else:
        found = []
    routing = board_routing(user=request.user, day=day)  # who staffs each step (kader team)
    steps = sorted((s for s in Step if s != Step.REGISTER),
                   key=lambda s: s.value not in routing["my_steps"])  # the viewer's step first
    context = {
        "day": day,
        "board": sel.day_queue(user=request.user, day=day),
        "steps": steps,
        "routing": routing,
        "q": q,
        "found": found,
        "client_id": f.new_client_id(),
        "can_run": has_perm(request.user, "service.kader", day.posyandu_id),
        "is_bidan": has_perm(request.user, "service.bidan", day.posyandu_id),
        "absentees": sel.absentees(day=day) if day.status == ServiceDay.Status.CLOSED else None,
        "reopen_form": f.ReopenForm(),
    }
    return render(request, "ilp/day_detail.html", context)


@login_required
@require_POST
def service_day_action(request, uuid, action):
    day = get_for_user_or_404(ServiceDay, request.user, uuid=uuid)
    try:
        if action == "buka":
            services.service_day_open(user=request.user, day=day)
        elif action == "tutup":
            services.service_day_close(user=request.user, day=day)
            messages.success(request, "Hari buka ditutup. Daftar sasaran yang tidak datang ada di bawah.")
        elif action == "buka-kembali":
            services.service_day_reopen(user=request.user, day=day, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect("ilp:day-detail", uuid=day.uuid)


@login_required
@require_POST
def visit_register(request, uuid):
    """Step 1: a person joins the queue. A double tap carries the same client_id."""
    day = get_for_user_or_404(ServiceDay, request.user, uuid=uuid)
    person = get_for_user_or_404(Person, request.user, uuid=request.POST.get("person"))
    try:
        visit, created = services.visit_register(
            user=request.user, day=day, person=person, client_id=request.POST.get("client_id") or None
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
        return redirect("ilp:day-detail", uuid=day.uuid)
    if not created:
        messages.info(request, f"{person.name} sudah terdaftar hari ini.")
    return redirect("ilp:visit-detail", uuid=visit.uuid)


def _visit(request, uuid):
    return get_for_user_or_404(
        Visit.objects.select_related("person", "service_day", "posyandu"), request.user, uuid=uuid
    )


def _typed(value) -> str:
    """A stored number as a kader would type it: 11.20 -> "11,2"."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = format(value.normalize(), "f")
    return str(value).replace(".", ",")


def _measurement_form(visit, data=None, show_confirm=False, fields=None):
    fields = fields or step2_fields(visit)
    initial = {}
    if m := getattr(visit, "measurement", None):
        initial = {k: _typed(getattr(m, k)) for k in fields if hasattr(m, k)}
        initial["length_method"] = m.length_method
    else:
        age_days = (visit.date - visit.person.birth_date).days
        initial["length_method"] = "lying" if age_days < 731 else "standing"
    return f.MeasurementForm(data, fields=fields, show_confirm=show_confirm, initial=initial)


@login_required
def visit_detail(request, uuid, form=None, status=200):
    visit = _visit(request, uuid)
    ctx = visit_context(visit)
    context = ctx | {
        "visit": visit,
        "form": form or _measurement_form(visit, fields=ctx["fields"]),
        "override_form": f.OverrideForm(),
        "counselling_form": f.CounsellingForm(
            topics=ctx["topics"], initial={"topics": ctx["suggested_topics"]}
        ),
        "can_kader": has_perm(request.user, "service.kader", visit.posyandu_id),
        "is_bidan": has_perm(request.user, "service.bidan", visit.posyandu_id),
    }
    context |= step4_context(visit) if visit.step == 4 else {}
    return render(request, "ilp/visit_detail.html", context, status=status)


@login_required
@require_POST
def visit_measure(request, uuid):
    """Step 2. A failed save keeps what was typed and says what to fix."""
    visit = _visit(request, uuid)
    form = _measurement_form(visit, request.POST, show_confirm="confirm_unusual" in request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_unusual"}
        moving = visit.step == Step.MEASURE
        try:
            visit_measure_service(user=request.user, visit=visit, data=data,
                                  confirm_unusual=form.cleaned_data.get("confirm_unusual", False))
        except ValidationError as exc:
            unusual = isinstance(exc, UnusualValues) or "confirm_unusual" in request.POST
            form = _measurement_form(visit, request.POST, show_confirm=unusual)
            form.is_valid()
            add_service_errors(form, exc)
            return visit_detail(request, uuid, form=form, status=422)
        if moving:
            _say_who_takes(request, visit)
        return redirect("ilp:visit-detail", uuid=visit.uuid)
    return visit_detail(request, uuid, form=form, status=422)


def _say_who_takes(request, visit):
    """After a move: the step the person now waits at and who staffs it."""
    if names := next_step_staff(visit=visit):
        messages.info(request, f"{visit.person.name} menunggu di {Step(visit.step).label}, "
                               f"dilayani {names}.")


@login_required
@require_POST
def visit_move(request, uuid):
    visit = _visit(request, uuid)
    try:
        visit = services.visit_move(user=request.user, visit=visit, to=int(request.POST.get("to", 0)))
    except (ValidationError, PermissionDenied, ValueError) as exc:
        _error(request, exc)
        return redirect("ilp:visit-detail", uuid=visit.uuid)
    _say_who_takes(request, visit)
    if visit.service_day_id:
        return redirect("ilp:day-detail", uuid=visit.service_day.uuid)
    return redirect("ilp:visit-detail", uuid=visit.uuid)


@login_required
@require_POST
def visit_override(request, uuid):
    visit = _visit(request, uuid)
    form = f.OverrideForm(request.POST)
    if form.is_valid() and hasattr(visit, "measurement"):
        try:
            measurement_trend_override(user=request.user, measurement=visit.measurement,
                                       trend=form.cleaned_data["trend"], reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
        else:
            messages.success(request, "Status KMS dikoreksi; nama Anda dan alasannya dicatat.")
    else:
        messages.error(request, "Isi alasan koreksi status KMS.")
    return redirect("ilp:visit-detail", uuid=visit.uuid)


@login_required
@require_POST
def visit_counsel(request, uuid):
    """Step 5: topics given; the visit is done."""
    visit = _visit(request, uuid)
    form = f.CounsellingForm(request.POST, topics=counselling_topics(visit))
    if form.is_valid():
        try:
            services.counselling_record(user=request.user, visit=visit, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
            return redirect("ilp:visit-detail", uuid=visit.uuid)
        messages.success(request, f"Layanan untuk {visit.person.name} selesai.")
        return redirect("ilp:day-detail", uuid=visit.service_day.uuid)
    messages.error(request, "Pilih paling sedikit satu topik penyuluhan.")
    return redirect("ilp:visit-detail", uuid=visit.uuid)


@login_required
def bidan_queue(request):
    on = timezone.localdate()
    visits = sel.bidan_queue(user=request.user, on=on)
    return render(request, "ilp/bidan_queue.html", {"visits": visits, "on": on})
