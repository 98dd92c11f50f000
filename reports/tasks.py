"""Celery tasks of the reports: they take ids and call a service."""

from celery import shared_task


@shared_task(name="reports.generate_report", acks_late=True, ignore_result=True)
def generate_report(report_id: int) -> None:
    """Produce the PDF of one queued report (a redelivery is harmless)."""
    from reports.services import report_generate

    report_generate(int(report_id))


@shared_task(name="reports.schedule_monthly_reports", ignore_result=True)
def schedule_monthly_reports() -> int:
    """Celery beat, first morning of the month: last month's Puskesmas reports."""
    from reports.services import schedule_monthly_reports as schedule

    return len(schedule())
