"""Step 4 pages of the bidan: examination, immunisation, supplements, ANC,
screenings and referrals. Thin: scoping, forms, services.

Every view fetches its object through ``get_for_user_or_404`` (other scopes
get 404). Saving needs ``service.bidan``; anyone else is sent back with the
service's message and nothing changes. A refused save keeps what was typed
on a small page with just that form (status 422); a save returns to the
visit page at the part that was saved."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from ilp import forms_exam as fx
from ilp.lifecycle import completed_years
from ilp.models import Referral, Screening, Supplement, Visit
from ilp.screenings import INSTRUMENTS
from ilp.selectors import exam as sel
from ilp.services import exam as services
from posyandu.forms_util import add_service_errors
from posyandu.reference import table
from posyandu.scoping import get_for_user_or_404, has_perm

BIDAN_ONLY = "Hanya bidan atau perawat posyandu ini yang boleh mencatat pemeriksaan."


def _visit(request, uuid) -> Visit:
    return get_for_user_or_404(
        Visit.objects.select_related("person", "service_day", "posyandu"), request.user, uuid=uuid
    )


def _visit_url(visit, anchor="periksa") -> str:
    return reverse("ilp:visit-detail", kwargs={"uuid": visit.uuid}) + f"#{anchor}"


def _not_bidan(request, posyandu_id) -> bool:
    if has_perm(request.user, services.PERM, posyandu_id):
        return False
    messages.error(request, BIDAN_ONLY)
    return True


def _form_page(request, visit, form, *, title, action, submit, anchor, status=422):
    return render(request, "ilp/exam_form.html", {
        "visit": visit, "person": visit.person, "form": form, "title": title,
        "action": action, "submit": submit, "back": _visit_url(visit, anchor),
    }, status=status)


def _save(request, visit, form, call, *, title, submit, anchor, success):
    """Validate the form, call the service, and either go back to the visit
    page with ``success(result)`` or show the form again with the errors."""
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or BIDAN_ONLY)
            return redirect(_visit_url(visit, anchor))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success(result))
            return redirect(_visit_url(visit, anchor))
    return _form_page(request, visit, form, title=title, action=request.path, submit=submit,
                      anchor=anchor)


# --------------------------------------------------------------------------
# examination, immunisation, supplements, ANC


@login_required
@require_POST
def visit_exam(request, uuid):
    visit = _visit(request, uuid)
    if _not_bidan(request, visit.posyandu_id):
        return redirect(_visit_url(visit))
    form = fx.ExaminationForm(request.POST)

    def success(exam):
        found = [f"{r['name']} {r['tag'].lower()}" for r in sel.exam_results(exam) if r["tag"]]
        return "Hasil pemeriksaan disimpan" + (f": {', '.join(found)}." if found else ".")

    return _save(
        request, visit, form,
        lambda d: services.examination_record(user=request.user, visit=visit, data=d),
        title="Pemeriksaan TD, gula darah, Hb", submit="Simpan pemeriksaan",
        anchor="pemeriksaan", success=success,
    )


@login_required
@require_POST
def visit_immunise(request, uuid):
    visit = _visit(request, uuid)
    if _not_bidan(request, visit.posyandu_id):
        return redirect(_visit_url(visit, "imunisasi"))
    form = fx.ImmunisationForm(request.POST, doses=sel.open_doses(sel.doses_for(visit)))
    return _save(
        request, visit, form,
        lambda d: services.immunisation_give(
            user=request.user, visit=visit, vaccine=d["vaccine"], batch_no=d["batch_no"],
            given_on=d["given_on"],
        ),
        title="Imunisasi", submit="Simpan imunisasi", anchor="imunisasi",
        success=lambda shot: f"{form.doses[shot.vaccine].label} dicatat "
                             f"({shot.given_on:%d-%m-%Y}).",
    )


@login_required
@require_POST
def visit_supplement(request, uuid):
    visit = _visit(request, uuid)
    if _not_bidan(request, visit.posyandu_id):
        return redirect(_visit_url(visit, "suplemen"))
    form = fx.SupplementForm(request.POST, exclude=sel.supplement_kinds_given(visit))
    return _save(
        request, visit, form,
        lambda d: services.supplement_give(
            user=request.user, visit=visit, kind=d["kind"], quantity=d["quantity"]
        ),
        title="Suplemen", submit="Simpan", anchor="suplemen",
        success=lambda item: f"{Supplement.Kind(item.kind).label} dicatat.",
    )


@login_required
@require_POST
def visit_anc(request, uuid):
    visit = _visit(request, uuid)
    if _not_bidan(request, visit.posyandu_id):
        return redirect(_visit_url(visit, "anc"))
    form = fx.AncForm(request.POST)
    return _save(
        request, visit, form,
        lambda d: services.anc_record(user=request.user, visit=visit, data=d),
        title="Pemeriksaan ibu hamil (ANC)", submit="Simpan ANC", anchor="anc",
        success=lambda check: f"Pemeriksaan kehamilan disimpan (usia kehamilan "
                              f"{check.gestational_weeks} minggu).",
    )


# --------------------------------------------------------------------------
# screenings


@login_required
@require_http_methods(["GET", "POST"])
def visit_screening(request, uuid, instrument):
    """One instrument: the items from the screenings table; after saving, the
    score, the outcome and whether to refer."""
    visit = _visit(request, uuid)
    payload = table("screenings", visit.date)
    if instrument not in INSTRUMENTS or instrument not in payload:
        raise Http404
    spec = payload[instrument]
    person = visit.person
    age = completed_years(person.birth_date, visit.date)
    min_age = spec.get("min_age_years")
    result = Screening.objects.filter(visit=visit, instrument=instrument).first()
    is_bidan = has_perm(request.user, services.PERM, visit.posyandu_id)
    status = 200
    if request.method == "POST":
        if not is_bidan:
            messages.error(request, BIDAN_ONLY)
            return redirect(request.path)
        form = fx.ScreeningForm(request.POST, instrument=instrument, spec=spec)
        if form.is_valid():
            try:
                row = services.screening_record(
                    user=request.user, visit=visit, instrument=instrument, answers=form.answers()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{spec['label']} disimpan: skor {row.score}.")
                return redirect(request.path)
        status = 422
    else:
        initial = {k: str(v) for k, v in result.answers.items()} if result else {}
        form = fx.ScreeningForm(initial=initial, instrument=instrument, spec=spec)
    return render(request, "ilp/screening_form.html", {
        "visit": visit, "person": person, "age": age, "spec": spec, "instrument": instrument,
        "form": form, "result": result, "is_bidan": is_bidan,
        "too_young": min_age is not None and age < min_age,
        "back": _visit_url(visit, "skrining"), "refer_url": _visit_url(visit, "rujuk-baru"),
    }, status=status)


# --------------------------------------------------------------------------
# referrals


@login_required
@require_POST
def visit_refer(request, uuid):
    visit = _visit(request, uuid)
    if _not_bidan(request, visit.posyandu_id):
        return redirect(_visit_url(visit, "rujuk"))
    form = fx.ReferralForm(request.POST, flags=sel.visit_findings(visit))
    return _save(
        request, visit, form,
        lambda d: services.referral_create(
            user=request.user, visit_or_person=visit, reason=d["reason"],
            flags=d.get("flags", []), notes=d["notes"],
        ),
        title="Rujuk ke Puskesmas", submit="Rujuk ke Puskesmas", anchor="rujuk",
        success=lambda r: f"{r.person.name} dirujuk ke {r.get_destination_display()}.",
    )


@login_required
def referral_list(request):
    """Referrals of the user's posyandu: open ones (dirujuk, diterima) first
    and oldest first, so nothing waits unseen; ``?semua=1`` adds the closed
    ones of the last months."""
    show_all = request.GET.get("semua") == "1"
    qs = Referral.objects.for_user(request.user).select_related("person", "posyandu", "visit")
    if show_all:
        qs = qs.order_by("-created_at")[:100]
    else:
        qs = qs.filter(status__in=Referral.OPEN_STATUSES).order_by("created_at")[:200]
    rows = sel.referral_rows(qs)
    for row in rows:
        row["can_change"] = has_perm(
            request.user, services.REFERRAL_PERM, row["referral"].posyandu_id
        )
    return render(request, "ilp/referral_list.html", {"rows": rows, "show_all": show_all})


@login_required
@require_POST
def referral_status(request, uuid):
    referral = get_for_user_or_404(
        Referral.objects.select_related("person", "visit", "posyandu"), request.user, uuid=uuid
    )
    nxt = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        nxt = ""
    back = nxt or reverse("ilp:referral-list")
    if not has_perm(request.user, services.REFERRAL_PERM, referral.posyandu_id):
        messages.error(request, services.REFERRAL_REFUSED)
        return redirect(back)
    form = fx.ReferralStatusForm(request.POST)
    if form.is_valid():
        try:
            services.referral_set_status(user=request.user, referral=referral,
                                         status=form.cleaned_data["status"],
                                         notes=form.cleaned_data["notes"])
        except PermissionDenied as exc:
            messages.error(request, str(exc) or BIDAN_ONLY)
            return redirect(back)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Rujukan {referral.person.name}: "
                                      f"{Referral.Status(form.cleaned_data['status']).label}.")
            return redirect(back)
    return render(request, "ilp/exam_form.html", {
        "person": referral.person, "form": form, "referral": referral,
        "title": "Status rujukan", "action": request.path, "submit": "Simpan status",
        "back": back,
    }, status=422)
