"""Pages of 'Kirim data': SATUSEHAT sending per Puskesmas (statuses, failures,
kirim ulang), e-PPGBM/ASIK downloads per posyandu and month, and the import of
the kader's wide recap. Thin: scoping, forms, services."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from interop import exports, wide_import
from interop.models import SatusehatSettings, Submission
from interop.services.send import SEND_PERM, month_status, queue_month, require_send, resend
from posyandu.forms_util import add_service_errors
from posyandu.models import Posyandu, Puskesmas
from posyandu.months import add_months
from posyandu.scoping import get_for_user_or_404, has_perm, posyandu_ids_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(value: str | None) -> date:
    """A YYYY-MM parameter; last month when missing; 404 when malformed."""
    if not value:
        return add_months(timezone.localdate().replace(day=1), -1)
    try:
        return datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007
    except ValueError:
        raise Http404 from None


def _months_choice(n: int = 12) -> list[date]:
    this = timezone.localdate().replace(day=1)
    return [add_months(this, -i) for i in range(n)]


def _sendable_puskesmas(user) -> list[Puskesmas]:
    allowed = posyandu_ids_for(user, SEND_PERM)
    if not allowed:
        return []
    out = []
    for pkm in Puskesmas.objects.filter(desa__posyandu__pk__in=allowed).distinct():
        try:
            require_send(user, pkm)
        except PermissionDenied:
            continue
        out.append(pkm)
    return out


@login_required
def home(request):
    month = _month(request.GET.get("bulan"))
    report_ids = posyandu_ids_for(request.user, "reports")
    posyandu = list(Posyandu.objects.filter(pk__in=report_ids, is_active=True)
                    .select_related("desa__puskesmas").order_by("nama"))
    rows = [{"p": p, "can_import": has_perm(request.user, "service.kader", p.pk)}
            for p in posyandu]
    return render(request, "interop/home.html", {
        "month": month, "months": _months_choice(), "posyandu_rows": rows,
        "puskesmas": _sendable_puskesmas(request.user),
    })


def _puskesmas_for(user, puskesmas_id) -> Puskesmas:
    try:
        pkm = Puskesmas.objects.get(pk=puskesmas_id)
        require_send(user, pkm)
    except (Puskesmas.DoesNotExist, PermissionDenied):
        raise Http404 from None
    return pkm


class SettingsForm(forms.ModelForm):
    """The Puskesmas's SATUSEHAT settings as its staff fill them in. The secret
    is never shown back; left empty it stays as it was."""

    custom_auth_url = forms.URLField(
        label="Alamat OAuth2 (jika 'alamat lain')", required=False, assume_scheme="https",
        help_text="mis. http://127.0.0.1:8099/oauth2/v1 untuk server uji lokal",
    )
    custom_fhir_url = forms.URLField(
        label="Alamat FHIR (jika 'alamat lain')", required=False, assume_scheme="https",
        help_text="mis. http://127.0.0.1:8099/fhir-r4/v1",
    )
    client_secret = forms.CharField(
        label="Client secret", required=False, widget=forms.PasswordInput(render_value=False),
        help_text="Kosongkan bila memakai variabel lingkungan atau tidak diubah.",
    )

    class Meta:
        model = SatusehatSettings
        fields = ["enabled", "environment", "custom_auth_url", "custom_fhir_url",
                  "organization_id", "client_id", "client_secret_env", "client_secret"]

    def clean_client_secret(self):
        value = self.cleaned_data.get("client_secret")
        return value or (self.instance.client_secret if self.instance.pk else "")

    def clean(self):
        data = super().clean()
        if data.get("environment") == "custom":
            urls = [data.get("custom_auth_url"), data.get("custom_fhir_url")]
            if not all(urls):
                raise ValidationError("Isi kedua alamat untuk 'alamat lain'.")
            # The server would send credentials and patient data there: on this page
            # only a local test server; anything else is the administrator's call.
            allowed = getattr(django_settings, "SATUSEHAT_CUSTOM_HOSTS",
                              ("127.0.0.1", "localhost"))
            if any(urlsplit(u).hostname not in allowed for u in urls):
                raise ValidationError(
                    "'Alamat lain' hanya untuk server uji di komputer ini (127.0.0.1). "
                    "Alamat lain diatur oleh administrator."
                )
        return data


def can_configure(user, pkm) -> bool:
    """Puskesmas staff of this Puskesmas and administrators set the credentials
    (a bidan covering every posyandu may send, not configure)."""
    from posyandu.models import Membership, Role

    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.PUSKESMAS, Role.ADMIN]
    ).filter(models.Q(puskesmas=pkm) | models.Q(role=Role.ADMIN)).exists()


def _settings_post(request, pkm, conf):
    if not can_configure(request.user, pkm):
        raise PermissionDenied
    form = SettingsForm(request.POST, instance=conf or SatusehatSettings(puskesmas=pkm))
    if form.is_valid():
        saved = form.save(commit=False)
        saved.puskesmas = pkm
        saved.access_token, saved.token_expires_at = "", None  # new credentials: new token
        saved.save()
        messages.success(request, "Pengaturan SATUSEHAT disimpan.")
        return None
    return form


def _test_connection(request, conf):
    from interop.client import Client, SatusehatError

    if conf is None:
        messages.error(request, "Pengaturan SATUSEHAT belum diisi.")
        return
    try:
        Client(conf, max_attempts=1).token(force=True)
    except SatusehatError as exc:
        messages.error(request, f"Koneksi gagal: {exc.reason}")
    else:
        messages.success(request, "Koneksi berhasil: token SATUSEHAT didapat.")


@login_required
@require_http_methods(["GET", "POST"])
def puskesmas(request, puskesmas_id):
    pkm = _puskesmas_for(request.user, puskesmas_id)
    month = _month(request.POST.get("bulan") or request.GET.get("bulan"))
    conf = SatusehatSettings.objects.filter(puskesmas=pkm).first()
    configure = can_configure(request.user, pkm)
    settings_form = SettingsForm(instance=conf) if configure else None
    action = request.POST.get("action", "kirim")
    if request.method == "POST" and action == "pengaturan":
        settings_form = _settings_post(request, pkm, conf)
        if settings_form is None:
            return redirect(f"{reverse('interop:puskesmas', args=[pkm.pk])}?bulan={month:%Y-%m}")
    elif request.method == "POST" and action == "tes":
        if not configure:
            raise PermissionDenied
        _test_connection(request, conf)
        return redirect(f"{reverse('interop:puskesmas', args=[pkm.pk])}?bulan={month:%Y-%m}")
    elif request.method == "POST":
        try:
            queued = queue_month(user=request.user, puskesmas=pkm, month=month)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if queued:
                messages.success(request, f"{len(queued)} kunjungan {month:%m-%Y} sedang "
                                          "dikirim ke SATUSEHAT. Muat ulang halaman ini "
                                          "untuk melihat hasilnya.")
            else:
                messages.info(request, f"Tidak ada kunjungan {month:%m-%Y} yang perlu dikirim.")
        return redirect(f"{reverse('interop:puskesmas', args=[pkm.pk])}?bulan={month:%Y-%m}")
    ids = require_send(request.user, pkm)
    failures = (Submission.objects.for_user(request.user, SEND_PERM)
                .filter(posyandu_id__in=ids, status=Submission.Status.FAILED)
                .select_related("visit__person", "posyandu").order_by("-last_attempt_at")[:200])
    sent = (Submission.objects.for_user(request.user, SEND_PERM)
            .filter(posyandu_id__in=ids, status=Submission.Status.SENT,
                    visit__date__gte=month, visit__date__lt=add_months(month, 1))
            .select_related("visit__person", "posyandu").order_by("-sent_at")[:50])
    return render(request, "interop/puskesmas.html", {
        "pkm": pkm, "conf": conf, "month": month, "months": _months_choice(),
        "counts": month_status(ids, month), "failures": failures, "sent": sent,
        "form": settings_form,
    }, status=422 if request.method == "POST" else 200)


@login_required
@require_POST
def submission_resend(request, uuid):
    sub = get_for_user_or_404(Submission.objects.select_related("posyandu__desa__puskesmas"),
                              request.user, SEND_PERM, uuid=uuid)
    pkm = sub.posyandu.desa.puskesmas
    _puskesmas_for(request.user, pkm.pk)
    try:
        resend(user=request.user, submission=sub)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Kunjungan dikirim ulang. Muat ulang halaman untuk hasilnya.")
    return redirect(f"{reverse('interop:puskesmas', args=[pkm.pk])}?bulan={sub.visit.date:%Y-%m}")


@login_required
def export(request, posyandu_id, month, kind, fmt):
    posyandu = get_for_user_or_404(Posyandu.objects.select_related("desa__puskesmas"),
                                   request.user, "reports", pk=posyandu_id)
    if kind not in exports.KINDS or fmt not in ("csv", "xlsx"):
        raise Http404
    on = _month(month)
    name, sheets = exports.build(request.user, posyandu, on, kind)
    if fmt == "csv":
        if len(sheets) != 1:
            raise Http404  # a CSV holds one sheet: ask for eppgbm-data-dasar / -pemantauan
        content, ctype = exports.to_csv(sheets[0]), "text/csv; charset=utf-8"
    else:
        content, ctype = exports.to_xlsx(sheets), XLSX
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


class WideImportForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas rekap (XLSX atau CSV)",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": "Pilih berkas rekap.", "empty": "Berkas kosong."},
    )
    daftar_baru = forms.BooleanField(
        label="Daftarkan anak yang belum terdaftar di posyandu ini", required=False,
        help_text="Isi JK dan TGL LAHIR untuk anak baru. Tanpa centang, anak yang tidak "
                  "ditemukan ditolak.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def wide_import_view(request, posyandu_id):
    posyandu = get_for_user_or_404(Posyandu.objects.select_related("desa"), request.user,
                                   "service.kader", pk=posyandu_id)
    form = WideImportForm(request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST":
        dry_run = request.POST.get("action") != "simpan"
        if form.is_valid():
            try:
                layout, rows = wide_import.parse_upload(form.cleaned_data["berkas"])
                report = wide_import.import_wide(
                    user=request.user, posyandu=posyandu, layout=layout, rows=rows,
                    dry_run=dry_run, register_new=form.cleaned_data["daftar_baru"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied:
                raise Http404 from None
        if not form.is_valid():
            status = 422
    return render(request, "interop/wide_import.html", {
        "posyandu": posyandu, "form": form, "report": report,
        "month_names": wide_import.MONTH_NAMES,
    }, status=status)


@login_required
def wide_template(request):
    year = timezone.localdate().year
    response = HttpResponse(wide_import.template_xlsx(year), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rekap-penimbangan-{year}.xlsx"'
    return response
