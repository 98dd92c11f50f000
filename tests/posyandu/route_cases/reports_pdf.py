"""Scoping cases of the report PDF pages (reports/urls_pdf.py): a ready
posyandu report of a1 (with its file); users outside a1 get 404 and cannot
queue it again."""

from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import Report, Status
from tests.posyandu.scoping_support import Route


def _report(o) -> Report:
    posyandu = o.person.posyandu
    report, created = Report.objects.get_or_create(
        level="posyandu", posyandu=posyandu, month=date(2026, 8, 1), kind="skdn",
        defaults={"status": Status.READY, "requested_at": timezone.now(),
                  "data_as_of": timezone.now(), "finished_at": timezone.now(), "pages": 1},
    )
    if created:
        report.file.save("uji-rute.pdf", ContentFile(b"%PDF-1.4 uji"), save=True)
    return report


def _kwargs(o):
    return {"uuid": _report(o).uuid}


def _watch(o):
    return [_report(o)]


ROUTES: dict[str, Route] = {
    "reports:report-detail": Route(_kwargs),
    "reports:report-download": Route(_kwargs),
    "reports:report-retry": Route(_kwargs, ("POST",), lambda o: {}, _watch),
}

LIST_ROUTES: dict[str, dict] = {
    "reports:report-list": {"area": "posyandu:1", "month": "2026-08"},
}
