from celery import shared_task
from django.conf import settings

MAX_ROUNDS = 3  # later rounds after SATUSEHAT stayed down: 5, 10 and 20 minutes
ROUND_DELAY = 300


@shared_task(name="interop.send_pending", acks_late=True, ignore_result=True)
def send_pending(settings_id: int, submission_ids: list[int], round_: int = 0) -> dict:
    """Send these visits of one Puskesmas to SATUSEHAT. 429 and 5xx are retried
    with exponential back-off inside the client (Retry-After honoured); what
    still fails is marked Gagal with the reason, for 'Kirim ulang'. When
    SATUSEHAT stays down the batch stops and the rest is tried again later."""
    from interop.services.send import send

    result = send(settings_id, submission_ids)
    deferred = result.get("deferred") or []
    if deferred and round_ < MAX_ROUNDS and not settings.CELERY_TASK_ALWAYS_EAGER:
        send_pending.apply_async((settings_id, deferred, round_ + 1),
                                 countdown=ROUND_DELAY * 2 ** round_)
    return result
