"""Celery tasks of the kader app: they take ids and call a service."""

from celery import shared_task


@shared_task(name="kader.run_followup_rules", ignore_result=True)
def run_followup_rules(batch: int = 200) -> int:
    """Celery beat, every night: queue the follow-up rules for every active
    posyandu, one task per batch of posyandu."""
    from posyandu.models import Posyandu

    ids = list(Posyandu.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), batch):
        followup_rules_for.delay(ids[i:i + batch])
    return len(ids)


@shared_task(name="kader.followup_rules_for", acks_late=True, ignore_result=True)
def followup_rules_for(posyandu_ids: list[int]) -> int:
    """The follow-up rules over some posyandu, each on its local date."""
    from kader.services.tasks import followup_sync_all

    result = followup_sync_all(posyandu_ids=[int(i) for i in posyandu_ids])
    return result.created + result.closed


@shared_task(name="kader.followup_person", acks_late=True, ignore_result=True)
def followup_person(person_id: int, rules: list[str] | None = None,
                    close_only: bool = False) -> int:
    """The follow-up rules for one person, after a save (see kader.signals)."""
    from kader.services.tasks import followup_sync_person

    result = followup_sync_person(int(person_id), rules=rules, close_only=close_only)
    return result.created + result.closed
