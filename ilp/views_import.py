"""Import page of a service day (visits and measurements from a CSV/XLSX file)
and the template downloads. Thin: scoping, form, importer service."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ilp.forms_import import ImportForm
from ilp.models import ServiceDay
from ilp.services import importer
from ilp.services.day import require_open
from posyandu.forms_util import add_service_errors
from posyandu.scoping import get_for_user_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def day_import(request, uuid):
    day = get_for_user_or_404(
        ServiceDay.objects.select_related("posyandu"), request.user, "service.kader", uuid=uuid
    )
    try:
        require_open(day)
        closed_message = ""
    except ValidationError as exc:
        closed_message = " ".join(exc.messages)
    form = ImportForm(request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST":
        dry_run = request.POST.get("action") != "simpan"  # "Periksa dulu" unless told to save
        if form.is_valid():
            try:
                rows = importer.parse_upload(form.cleaned_data["berkas"])
                report = importer.import_rows(user=request.user, day=day, rows=rows, dry_run=dry_run)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied:
                raise Http404 from None
        if not form.is_valid():
            status = 422
    context = {
        "day": day,
        "form": form,
        "report": report,
        "closed_message": closed_message,
        "columns": importer.COLUMNS,
        "max_rows": importer.MAX_ROWS,
    }
    return render(request, "ilp/import.html", context, status=status)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def import_template_csv(request):
    return _download(importer.template_csv(), "text/csv; charset=utf-8",
                     "template-impor-posyandu.csv")


@login_required
def import_template_xlsx(request):
    return _download(importer.template_xlsx(), XLSX, "template-impor-posyandu.xlsx")
