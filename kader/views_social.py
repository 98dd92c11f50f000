"""Pages of the social feature (thin: scoping, forms, services).

- Kader/bidan: the social screen of a person's family, its result and
  "Ajukan ke Puskesos"; "Rujukan saya / Rujukan posyandu" (health and social).
- Puskesos officer: the social referrals of the desa by status, a referral's
  page with the family's answers and history, and the status buttons.

Objects come through ``get_for_user_or_404``: another scope answers 404.
Screens belong to the referring side (``social.refer``); referrals are read
with ``social.view`` and moved with ``social.handle``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ilp.models import Person
from kader import forms_social as forms
from kader import social_rules as rules
from kader.models.social import SocialReferral, SocialScreen
from kader.selectors import social as sel
from kader.services import social as services
from posyandu.forms_util import add_service_errors
from posyandu.reference import table
from posyandu.scoping import get_for_user_or_404, has_perm


def _detail_url(referral) -> str:
    return reverse("kader:social-referral-detail", kwargs={"uuid": referral.uuid})


@login_required
@require_http_methods(["GET", "POST"])
def screen_create(request, uuid):
    person = get_for_user_or_404(
        Person.objects.active().select_related("posyandu", "household"), request.user,
        services.REFER_PERM, uuid=uuid,
    )
    payload = table("social_screen", timezone.localdate())
    flags, measured_on = services.latest_flags(person)
    initial = {"reasons": rules.reasons_for_flags(flags, payload)}
    form = forms.SocialScreenForm(request.POST or None, payload=payload, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            screen, _ = services.screen_create(
                user=request.user, person=person, reasons=data["reasons"],
                reason_other=data["reason_other"], answers=form.answers(), notes=data["notes"],
                client_id=data["client_id"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(person.get_absolute_url())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("kader:social-screen-result", uuid=screen.uuid)
    return render(request, "kader/social/screen_form.html", {
        "person": person, "form": form, "flags": sel.flag_labels(flags),
        "measured_on": measured_on,
    }, status=422 if request.method == "POST" else 200)


@login_required
def screen_result(request, uuid):
    screen = get_for_user_or_404(
        SocialScreen.objects.select_related("person", "posyandu", "screened_by"), request.user,
        services.REFER_PERM, uuid=uuid,
    )
    referral = SocialReferral.objects.filter(screen=screen).first()
    return render(request, "kader/social/screen_result.html", {
        "screen": screen, "person": screen.person, "answers": sel.screen_answers(screen),
        "unmet": [label for _, label in screen.unmet], "reasons": screen.reason_labels(),
        "referral": referral, "form": forms.ReferralCreateForm(),
    })


@login_required
@require_POST
def screen_refer(request, uuid):
    screen = get_for_user_or_404(
        SocialScreen.objects.select_related("person"), request.user, services.REFER_PERM,
        uuid=uuid,
    )
    form = forms.ReferralCreateForm(request.POST)
    notes = form.cleaned_data["notes"] if form.is_valid() else ""
    try:
        referral, created = services.referral_create(user=request.user, screen=screen,
                                                     notes=notes)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, f"{screen.person.name} diajukan ke Puskesos.")
        return redirect(_detail_url(referral))
    return redirect("kader:social-screen-result", uuid=screen.uuid)


@login_required
def referral_list(request):
    """The Puskesos officer's home (and a list for anyone with social.view):
    the social referrals of the desa, one status at a time."""
    counts = sel.status_counts(request.user)
    status = request.GET.get("status")
    if status not in rules.STATUS_LABELS:
        # default: the first open status that has something waiting
        status = next((c for c, _, n in counts if c in rules.OPEN_STATUSES and n), rules.DIAJUKAN)
    return render(request, "kader/social/referral_list.html", {
        "counts": counts, "status": status, "status_label": rules.STATUS_LABELS[status],
        "rows": sel.list_rows(request.user, status),
    })


def _detail_page(request, referral, *, form=None, status=200):
    context = sel.referral_detail(referral)
    context.update(
        can_handle=has_perm(request.user, services.HANDLE_PERM, referral.posyandu_id),
        form=form, aid_choices=rules.AID_CHOICES,
    )
    return render(request, "kader/social/referral_detail.html", context, status=status)


def _referral(request, uuid) -> SocialReferral:
    return get_for_user_or_404(
        SocialReferral.objects.select_related(
            "person__posyandu__desa", "person__household", "person__mother", "screen",
            "posyandu", "made_by",
        ),
        request.user, sel.VIEW_PERM, uuid=uuid,
    )


@login_required
def referral_detail(request, uuid):
    return _detail_page(request, _referral(request, uuid))


@login_required
@require_POST
def referral_status(request, uuid):
    referral = _referral(request, uuid)
    if not has_perm(request.user, services.HANDLE_PERM, referral.posyandu_id):
        messages.error(request, services.HANDLE_REFUSED)
        return redirect(_detail_url(referral))
    form = forms.ReferralStatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_set_status(
                user=request.user, referral=referral, status=data["status"], note=data["note"],
                aid=data["aid"], aid_other=data["aid_other"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(_detail_url(referral))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Rujukan {referral.person.name}: {referral.get_status_display()}."
            )
            return redirect(_detail_url(referral))
    return _detail_page(request, referral, form=form, status=422)


@login_required
def my_referrals(request):
    """Rujukan saya (made by me) / Rujukan posyandu (``?semua=1``): health
    referrals to the Puskesmas and social ones to the Puskesos, with their
    status and outcome."""
    mine = request.GET.get("semua") != "1"
    context = sel.my_referrals(request.user, mine=mine)
    context["mine"] = mine
    return render(request, "kader/social/my_referrals.html", context)
