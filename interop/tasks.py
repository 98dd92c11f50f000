from celery import shared_task


@shared_task(name="interop.send_pending", acks_late=True, ignore_result=True)
def send_pending(settings_id: int, submission_ids: list[int]) -> dict:
    """Send these visits of one Puskesmas to SATUSEHAT. 429 and 5xx are retried
    with exponential back-off inside the client (Retry-After honoured); what
    still fails is marked Gagal with the reason, for 'Kirim ulang'."""
    from interop.services.send import send

    return send(settings_id, submission_ids)
