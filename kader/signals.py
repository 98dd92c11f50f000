"""Run the follow-up rules for a person after a save that may change them.

Each receiver only registers ``transaction.on_commit`` → the Celery task
``kader.followup_person`` with the person id and the rules the saved model
can affect, so the save itself stays cheap (with a broker: one enqueue after
commit). Saves that can only resolve a condition (a visit, a vaccine, a
vitamin A capsule) run in "close only" mode, which costs one query when the
person has no open task. A failure here never breaks the save: the nightly run
catches up.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from ilp.models import (
    Examination,
    Immunisation,
    Measurement,
    Person,
    Pregnancy,
    Referral,
    Screening,
    ServiceDay,
    Supplement,
    Visit,
)

log = logging.getLogger(__name__)

# model -> (rule codes it can affect, close only?)
TRIGGERS: dict[type, tuple[tuple[str, ...] | None, bool]] = {
    Visit: (("tidak_datang",), True),
    Measurement: (("tidak_datang", "gizi", "bumil_risiko"), False),
    Examination: (("bumil_risiko", "rujukan_ptm"), False),
    Immunisation: (("imunisasi",), True),
    Supplement: (("vitamin_a",), True),
    Pregnancy: (("bumil_hpl", "bumil_risiko", "tidak_datang"), False),
    Screening: (("lansia_skilas",), False),
    Referral: (("rujukan_ptm", "lansia_skilas"), False),
    Person: (None, False),  # moved, died, new address, new person: every rule
}


def _enqueue(person_id: int, rules, close_only: bool) -> None:
    from kader.tasks import followup_person

    try:
        followup_person.delay(person_id, list(rules) if rules else None, close_only)
    except Exception:  # never fail a committed save over a follow-up run
        log.exception("follow-up rules for person %s not queued", person_id)


def schedule_person(person_id: int | None, rules=None, close_only: bool = False) -> None:
    if person_id:
        transaction.on_commit(lambda: _enqueue(person_id, rules, close_only))


def _on_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if sender is Visit and not created:
        return  # a visit moving through the steps changes no rule
    rules, close_only = TRIGGERS[sender]
    person_id = instance.pk if sender is Person else getattr(instance, "person_id", None)
    schedule_person(person_id, rules, close_only)


def _on_delete(sender, instance, **kwargs):
    rules, _ = TRIGGERS[sender]
    schedule_person(getattr(instance, "person_id", None), rules, False)


def _on_day_closed(sender, instance, raw=False, **kwargs):
    """Closing a service day: run the posyandu's rules at once, so whoever did
    not come has a home-visit task the same afternoon, not the next morning."""
    if raw or instance.status != ServiceDay.Status.CLOSED:
        return
    posyandu_id = instance.posyandu_id

    def enqueue():
        from kader.tasks import followup_rules_for

        try:
            followup_rules_for.delay([posyandu_id])
        except Exception:
            log.exception("follow-up rules for posyandu %s not queued", posyandu_id)

    transaction.on_commit(enqueue)


def connect() -> None:
    post_save.connect(_on_day_closed, sender=ServiceDay, dispatch_uid="kader-followup-day-closed")
    for model in TRIGGERS:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"kader-followup-{model.__name__}")
    for model in (Immunisation, Supplement, Measurement):
        post_delete.connect(_on_delete, sender=model,
                            dispatch_uid=f"kader-followup-del-{model.__name__}")
