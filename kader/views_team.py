"""Team pages: the posyandu team, kader profiles and skills, bidan/perawat
profile, the service-day staff plan, assignments and the accountability page.
Thin: scoping, forms, services, selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ilp.models import ServiceDay
from kader import forms_team as f
from kader.models.team import Assignment, KaderProfile, ServiceDayStaff, StaffProfile
from kader.selectors import team as sel
from kader.services import team as services
from posyandu.forms_util import add_service_errors
from posyandu.models import Membership, Posyandu, Role, RtRw, User
from posyandu.reference import table
from posyandu.scoping import get_for_user_or_404, posyandu_ids_for


def _error(request, exc):
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


def _profile(request, uuid):
    return get_for_user_or_404(
        KaderProfile.objects.select_related("user", "posyandu"), request.user, uuid=uuid
    )


# --------------------------------------------------------------- team
@login_required
def team_home(request):
    """The posyandu whose team the user may see; one posyandu goes straight there."""
    rows = list(Posyandu.objects.for_user(request.user).filter(is_active=True)
                .select_related("desa").order_by("nama"))
    if len(rows) == 1:  # a kader's own team, without a redirect
        return team_detail(request, rows[0].pk)
    counts = sel.active_kader_counts(r.pk for r in rows)
    minimum = table("kader_skills", timezone.localdate())["team"]["min_active_kader"]
    items = [(p, counts.get(p.pk, 0)) for p in rows]
    return render(request, "kader/team/home.html", {"items": items, "minimum": minimum})


@login_required
def team_detail(request, posyandu_id):
    posyandu = get_for_user_or_404(Posyandu.objects.select_related("desa"), request.user,
                                   pk=posyandu_id)
    team = sel.team_overview(posyandu=posyandu, on=timezone.localdate())
    can_manage = services.can_manage_team(request.user, posyandu.pk)
    create_form = None
    if can_manage and team.without_profile:
        create_form = f.KaderProfileCreateForm(
            user_qs=User.objects.filter(pk__in=[u.pk for u in team.without_profile]))
    upcoming = (ServiceDay.objects.filter(posyandu=posyandu, date__gte=timezone.localdate())
                .exclude(status=ServiceDay.Status.CLOSED).order_by("date")[:3])
    return render(request, "kader/team/team_detail.html", {
        "posyandu": posyandu, "team": team, "can_manage": can_manage,
        "create_form": create_form, "upcoming": upcoming,
        "is_nakes": Membership.objects.filter(user=request.user, role=Role.BIDAN,
                                              is_active=True).exists(),
    })


@login_required
@require_POST
def kader_profile_create(request, posyandu_id):
    posyandu = get_for_user_or_404(Posyandu, request.user, pk=posyandu_id)
    kader_qs = User.objects.filter(memberships__posyandu=posyandu, memberships__role=Role.KADER,
                                   memberships__is_active=True)
    form = f.KaderProfileCreateForm(request.POST, user_qs=kader_qs)
    if form.is_valid():
        try:
            profile = services.kader_profile_create(
                user=request.user, posyandu=posyandu, kader_user=form.cleaned_data["kader_user"],
                position=form.cleaned_data["position"])
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
        else:
            messages.success(request, f"Profil {profile} dibuat. Lengkapi nomor HP dan wilayahnya.")
            return redirect("kader:kader-edit", uuid=profile.uuid)
    else:
        messages.error(request, "Pilih kader dari daftar.")
    return redirect("kader:team-detail", posyandu_id=posyandu.pk)


@login_required
def kader_detail(request, uuid):
    profile = _profile(request, uuid)
    context = sel.kader_detail(profile=profile, on=timezone.localdate())
    return render(request, "kader/team/kader_detail.html", context | {
        "profile": profile,
        "can_manage": services.can_manage_team(request.user, profile.posyandu_id),
        "is_self": profile.user_id == request.user.pk,
    })


@login_required
@require_http_methods(["GET", "POST"])
def kader_edit(request, uuid):
    profile = _profile(request, uuid)
    if not services.can_manage_team(request.user, profile.posyandu_id):
        messages.error(request, "Hanya bidan, petugas Puskesmas atau ketua kader posyandu ini "
                                "yang dapat mengubah profil kader.")
        return redirect("kader:kader-detail", uuid=profile.uuid)
    rtrw_qs = RtRw.objects.filter(posyandu_id=profile.posyandu_id)
    form = f.KaderProfileForm(
        request.POST or None, rtrw_qs=rtrw_qs,
        initial={"position": profile.position, "phone": profile.phone,
                 "is_active": profile.is_active, "areas": list(profile.areas.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.kader_profile_update(user=request.user, profile=profile, **form.cleaned_data)
        except PermissionDenied as exc:
            _error(request, exc)
            return redirect("kader:kader-detail", uuid=profile.uuid)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Profil kader disimpan.")
            return redirect("kader:kader-detail", uuid=profile.uuid)
    status = 422 if request.method == "POST" else 200
    return render(request, "kader/team/kader_edit.html", {"form": form, "profile": profile},
                  status=status)


@login_required
@require_POST
def kader_skill(request, uuid):
    """One tap: verify (or undo) one skill of a kader."""
    profile = _profile(request, uuid)
    code = request.POST.get("code", "")
    try:
        if request.POST.get("action") == "batal":
            services.skill_unverify(user=request.user, kader=profile, skill_code=code)
        else:
            services.skill_verify(user=request.user, kader=profile, skill_code=code,
                                  note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect(f"{_url('kader:kader-detail', profile.uuid)}#grup-{code[:1]}")


def _url(name, uuid):
    return reverse(name, kwargs={"uuid": uuid})


@login_required
@require_http_methods(["GET", "POST"])
def kader_training(request, uuid):
    profile = _profile(request, uuid)
    form = f.TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.training_record(user=request.user, kader=profile, title=d["title"],
                                     on=d["date"], provider=d["provider"],
                                     certificate_no=d["certificate_no"])
        except PermissionDenied as exc:
            _error(request, exc)
            return redirect("kader:kader-detail", uuid=profile.uuid)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Pelatihan dicatat.")
            return redirect("kader:kader-detail", uuid=profile.uuid)
    status = 422 if request.method == "POST" else 200
    return render(request, "kader/team/training_form.html", {"form": form, "profile": profile},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def staff_profile(request):
    """A bidan/perawat's own profile; the posyandu she covers are listed."""
    covered = Posyandu.objects.filter(memberships__user=request.user,
                                      memberships__role=Role.BIDAN,
                                      memberships__is_active=True).order_by("nama")
    current = StaffProfile.objects.filter(user=request.user).first()
    initial = ({"kind": current.kind, "phone": current.phone, "nip": current.nip} if current
               else {"kind": StaffProfile.Kind.BIDAN, "phone": getattr(request.user, "phone", "")})
    form = f.StaffProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_profile_save(user=request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            _error(request, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Profil disimpan.")
            return redirect("kader:staff-profile")
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "kader/team/staff_profile.html",
                  {"form": form, "covered": covered, "is_nakes": covered.exists()}, status=status)


# --------------------------------------------------------------- service-day plan
@login_required
@require_http_methods(["GET", "POST"])
def day_plan(request, uuid):
    day = get_for_user_or_404(ServiceDay.objects.select_related("posyandu"), request.user,
                              uuid=uuid)
    can_plan = services.can_manage_team(request.user, day.posyandu_id)
    step = request.POST.get("step") or request.GET.get("langkah") or "2"
    step_no = int(step) if str(step).isdigit() else 2
    form = f.StaffPlanForm(request.POST or None, initial={"step": step_no},
                           user_qs=_plan_candidates(day.posyandu_id))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                row, created = services.staff_plan_add(
                    user=request.user, day=day, step=form.cleaned_data["step"],
                    staff_user=form.cleaned_data["user"])
            except PermissionDenied as exc:
                _error(request, exc)
                return redirect("kader:day-plan", uuid=day.uuid)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if created:
                    messages.success(request, f"{sel.display_name(row.user)} direncanakan di "
                                              f"langkah {row.step}.")
                return redirect(f"{_url('kader:day-plan', day.uuid)}?langkah={row.step}")
        status = 422
    plan = sel.day_plan(day=day)
    return render(request, "kader/team/day_plan.html", {
        "day": day, "plan": plan, "form": form, "can_plan": can_plan,
        "steps": [(int(s), sel.STEP_SHORT[s], plan.by_step.get(int(s), [])) for s in sel.PLAN_STEPS],
        "closed": day.status == ServiceDay.Status.CLOSED,
    }, status=status)


def _plan_candidates(posyandu_id):
    return services.assignees(posyandu_id)


@login_required
@require_POST
def day_plan_remove(request, uuid):
    row = get_for_user_or_404(ServiceDayStaff.objects.select_related("service_day"),
                              request.user, uuid=uuid)
    try:
        services.staff_plan_remove(user=request.user, row=row)
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect("kader:day-plan", uuid=row.service_day.uuid)


# --------------------------------------------------------------- assignments
@login_required
def assignment_list(request):
    user = request.user
    status = request.GET.get("status", "open")
    mine = request.GET.get("saya") == "1"
    posyandu_ids = posyandu_ids_for(user)
    try:
        posyandu_id = int(request.GET.get("posyandu", "") or 0) or None
    except ValueError:
        posyandu_id = None
    if posyandu_id and posyandu_id not in posyandu_ids:
        posyandu_id = None
    rows = list(sel.assignments_for_user(user=user, posyandu_id=posyandu_id, status=status,
                                         mine=mine)[:200])
    manageable = [p for p in Posyandu.objects.for_user(user).order_by("nama")
                  if services.can_manage_team(user, p.pk)]
    manage_ids = {p.pk for p in manageable}
    for r in rows:
        r.can_close = r.status == Assignment.Status.OPEN and (
            r.assignee_id == user.pk or r.posyandu_id in manage_ids)
        r.can_cancel = r.status == Assignment.Status.OPEN and r.posyandu_id in manage_ids
        r.overdue = r.status == Assignment.Status.OPEN and r.due_on < timezone.localdate()
    return render(request, "kader/team/assignment_list.html", {
        "rows": rows, "status": status, "mine": mine, "manageable": manageable,
        "statuses": Assignment.Status.choices, "cancel_form": f.CancelForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request, posyandu_id):
    posyandu = get_for_user_or_404(Posyandu, request.user, pk=posyandu_id)
    if not services.can_manage_team(request.user, posyandu.pk):
        messages.error(request, "Hanya bidan, petugas Puskesmas atau ketua kader posyandu ini "
                                "yang dapat memberi penugasan.")
        return redirect("kader:assignment-list")
    form = f.AssignmentForm(request.POST or None, user_qs=services.assignees(posyandu.pk),
                            initial={"kind": request.GET.get("jenis", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_create(user=request.user, posyandu=posyandu, **form.cleaned_data)
        except PermissionDenied as exc:
            _error(request, exc)
            return redirect("kader:assignment-list")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Penugasan dibuat.")
            return redirect(f"{_list_url()}?posyandu={posyandu.pk}")
    status = 422 if request.method == "POST" else 200
    return render(request, "kader/team/assignment_form.html",
                  {"form": form, "posyandu": posyandu}, status=status)


def _list_url():
    return reverse("kader:assignment-list")


@login_required
@require_POST
def assignment_done(request, uuid):
    row = get_for_user_or_404(Assignment, request.user, uuid=uuid)
    try:
        services.assignment_complete(user=request.user, assignment=row,
                                     note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Tugas \u201c{row.title}\u201d selesai.")
    return redirect(request.POST.get("next") if _safe(request.POST.get("next")) else _list_url())


@login_required
@require_POST
def assignment_cancel(request, uuid):
    row = get_for_user_or_404(Assignment, request.user, uuid=uuid)
    form = f.CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Tuliskan alasan pembatalan.")
        services.assignment_cancel(user=request.user, assignment=row,
                                   reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Tugas \u201c{row.title}\u201d dibatalkan.")
    return redirect(_list_url())


def _safe(url) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//")
