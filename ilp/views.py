"""Registry pages for kader, bidan and Puskesmas staff. Thin: fetch through
the scoping entry point, parse with a form, call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ilp import forms as f
from ilp.lifecycle import completed_years, labels
from ilp.models import Household, Person, Pregnancy
from ilp.selectors.registry import household_search, person_search, possible_duplicates
from ilp.selectors.visit import growth_chart
from ilp.services import registry as services
from posyandu.forms_util import add_service_errors, form_page
from posyandu.models import Posyandu
from posyandu.reference import table
from posyandu.scoping import get_for_user_or_404, has_perm

PAGE_SIZE = 25


def _editable_posyandu(user):
    return Posyandu.objects.for_user(user, "registry.edit").order_by("nama")


def _optional(model, user, key):
    """An object named in the query string, inside the user's scope, or None."""
    return get_for_user_or_404(model, user, uuid=key) if key else None


@login_required
def person_list(request):
    q = request.GET.get("q", "")
    qs = person_search(user=request.user, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("hal"))
    return render(request, "ilp/person_list.html", {"page": page, "q": q})


@login_required
def person_detail(request, uuid):
    person = get_for_user_or_404(
        Person.objects.select_related("posyandu", "household", "mother"), request.user, uuid=uuid
    )
    today = timezone.localdate()
    bands = table("lifecycle_groups", today)
    context = {
        "person": person,
        "groups": labels(person.lifecycle_groups(today), bands),
        "children": Person.objects.for_user(request.user).active().filter(mother=person),
        "pregnancies": person.pregnancies.all(),
        "measurements": person.measurements.select_related("visit").order_by("-measured_on")[:24],
        "can_edit": has_perm(request.user, "registry.edit", person.posyandu_id),
        "chart": growth_chart(person),
        "can_be_mother": person.sex == "P" and completed_years(person.birth_date, today) >= 10,
        "history": person.history.select_related("history_user").order_by("-history_date")[:10],
    }
    return render(request, "ilp/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    user = request.user
    household = _optional(Household, user, request.GET.get("keluarga"))
    mother = _optional(Person, user, request.GET.get("ibu"))
    initial = {}
    if household:
        initial.update(posyandu=household.posyandu, address=household.alamat, rt=household.rt,
                       rw=household.rw)
    if mother:
        initial.update(mother_name=mother.name, mother_nik=mother.nik or "",
                       posyandu=mother.posyandu, address=mother.address, rt=mother.rt, rw=mother.rw)
    form = f.PersonForm(request.POST or None, posyandu_qs=_editable_posyandu(user), initial=initial)
    candidates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                user=user, posyandu=data["posyandu"], data=data, household=household,
                mother=mother, not_duplicate=data["not_duplicate"],
            )
        except services.DuplicateSuspected as dup:
            candidates = dup.candidates
            form = f.PersonForm(request.POST, posyandu_qs=_editable_posyandu(user),
                                initial=initial, show_not_duplicate=True)
            form.is_valid()
            form.add_error(None, dup.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{person.name} sudah terdaftar.")
            return redirect("ilp:person-detail", uuid=person.uuid)
    return render(
        request, "ilp/person_form.html",
        {"form": form, "household": household, "mother": mother, "candidates": candidates,
         "title": "Daftarkan sasaran baru"},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, uuid):
    person = get_for_user_or_404(Person, request.user, "registry.edit", uuid=uuid)
    initial = {field: getattr(person, field) for field in services.PERSON_FIELDS}
    initial["nik"] = person.nik or ""
    form = f.PersonEditForm(
        request.POST or None, posyandu_qs=Posyandu.objects.none(), initial=initial
    )
    return form_page(
        request, form,
        lambda data: services.person_update(
            user=request.user, person=person, data=data,
            household=person.household, mother=person.mother,
        ),
        success="Perubahan disimpan.", next_url=lambda p: p.get_absolute_url(),
        template="ilp/person_form.html",
        context={"person": person, "title": f"Ubah data {person.name}"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request, uuid):
    """Merge another record (a suspected duplicate) into this one."""
    keep = get_for_user_or_404(Person, request.user, "registry.merge", uuid=uuid)
    form = f.MergeForm(request.POST or None, initial={"other": request.GET.get("dengan")})
    other_key = request.POST.get("other") or request.GET.get("dengan")
    other = _optional(Person.objects.active(), request.user, other_key)
    candidates = possible_duplicates(
        user=request.user, nik=keep.nik, name=keep.name, birth_date=keep.birth_date,
        mother=keep.mother, mother_nik=keep.mother_nik, mother_name=keep.mother_name,
        exclude_id=keep.pk,
    )
    if request.method == "POST" and form.is_valid() and other is not None:
        try:
            services.person_merge(user=request.user, keep=keep, remove=other)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Data sudah digabung; semua riwayat tetap tersimpan.")
            return redirect("ilp:person-detail", uuid=keep.uuid)
    return render(
        request, "ilp/person_merge.html",
        {"keep": keep, "other": other, "candidates": candidates, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pregnancy_create(request, uuid):
    person = get_for_user_or_404(Person, request.user, "registry.edit", uuid=uuid)
    return form_page(
        request, f.PregnancyForm(request.POST or None),
        lambda data: services.pregnancy_create(user=request.user, person=person, **data),
        success="Kehamilan dicatat.", next_url=lambda p: p.person.get_absolute_url(),
        template="ilp/simple_form.html",
        context={"title": f"Catat kehamilan {person.name}", "back": person},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pregnancy_close(request, uuid):
    pregnancy = get_for_user_or_404(
        Pregnancy.objects.select_related("person"), request.user, "registry.edit", uuid=uuid
    )
    return form_page(
        request, f.PregnancyCloseForm(request.POST or None),
        lambda data: services.pregnancy_close(user=request.user, pregnancy=pregnancy, **data),
        success="Hasil kehamilan dicatat.", next_url=lambda p: p.person.get_absolute_url(),
        template="ilp/simple_form.html",
        context={"title": "Catat akhir kehamilan", "back": pregnancy.person},
    )


@login_required
def household_list(request):
    q = request.GET.get("q", "")
    page = Paginator(household_search(user=request.user, q=q), PAGE_SIZE).get_page(
        request.GET.get("hal")
    )
    return render(request, "ilp/household_list.html", {"page": page, "q": q})


@login_required
def household_detail(request, uuid):
    household = get_for_user_or_404(Household, request.user, uuid=uuid)
    members = Person.objects.for_user(request.user).active().filter(household=household)
    return render(
        request, "ilp/household_detail.html",
        {
            "household": household,
            "members": members.order_by("birth_date"),
            "can_edit": has_perm(request.user, "registry.edit", household.posyandu_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request):
    form = f.HouseholdForm(request.POST or None, posyandu_qs=_editable_posyandu(request.user))
    return form_page(
        request, form,
        lambda data: services.household_create(
            user=request.user, posyandu=data["posyandu"], data=data
        ),
        success="Keluarga terdaftar. Sekarang tambahkan anggotanya.",
        next_url=lambda h: h.get_absolute_url(),
        template="ilp/simple_form.html", context={"title": "Daftarkan keluarga baru (KK)"},
    )
