"""Reads of the social feature. Every query goes through the scoping entry
point; what a Puskesos officer gets of a person is the minimum they need to
verify and propose aid (``person_minimum``), never the health record."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.utils import timezone

from ilp.lifecycle import completed_months, completed_years
from ilp.models import Person, Referral
from ilp.selectors.exam import FLAG_LABELS
from kader import social_rules as rules
from kader.models.social import SocialReferral, SocialScreen
from posyandu.reference import table
from posyandu.scoping import has_perm, posyandu_ids_for

VIEW_PERM = "social.view"
STATUS_ORDER = [s for s, _ in SocialReferral.Status.choices]


def referrals_for(user, *, status: str | None = None):
    """Social referrals the user may see, with what the lists show."""
    qs = SocialReferral.objects.for_user(user, VIEW_PERM).select_related(
        "person", "household", "posyandu", "screen", "made_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def status_counts(user) -> list[tuple[str, str, int]]:
    """(code, label, count) per status, in flow order."""
    counts = dict(
        SocialReferral.objects.for_user(user, VIEW_PERM)
        .values_list("status").annotate(n=Count("id")).order_by()
    )
    return [(code, label, counts.get(code, 0)) for code, label in SocialReferral.Status.choices]


def list_rows(user, status: str | None) -> list[SocialReferral]:
    """Open ones oldest first (nothing waits unseen); closed ones newest first."""
    qs = referrals_for(user, status=status)
    if status in rules.OPEN_STATUSES:
        return list(qs.order_by("created_at")[:200])
    return list(qs.order_by("-status_changed_at", "-created_at")[:200])


def person_minimum(person: Person, on: date | None = None) -> dict:
    """What the Puskesos needs of the person to find the family in SIKS-NG/
    DT-SEN and visit it: name, age, NIK, family card, mother, address, phone."""
    on = on or timezone.localdate()
    household = person.household
    months = completed_months(person.birth_date, on)
    age = f"{months} bulan" if months < 60 else f"{completed_years(person.birth_date, on)} tahun"
    return {
        "name": person.name,
        "sex": person.get_sex_display(),
        "age": age,
        "nik": person.nik or "",
        "mother": person.mother.name if person.mother_id else person.mother_name,
        "kepala_keluarga": household.kepala_keluarga if household else "",
        "no_kk": (household.no_kk or "") if household else "",
        "address": person.address or (household.alamat if household else ""),
        "rt": person.rt or (household.rt if household else ""),
        "rw": person.rw or (household.rw if household else ""),
        "phone": person.phone,
        "posyandu": str(person.posyandu),
        "desa": str(person.posyandu.desa),
    }


def screen_answers(screen: SocialScreen) -> list[dict]:
    """The questions with the family's answers in words; ``bad`` marks an
    answer that made a refer rule match."""
    payload = table("social_screen", screen.date)
    answers = {f: getattr(screen, f) for f in rules.ANSWER_FIELDS}
    bad_fields = set()
    unmet_codes = {code for code, _ in screen.unmet}
    for rule in payload["refer_when"]:
        if rule["code"] in unmet_codes:
            bad_fields |= set(rule["when"])
    rows = []
    for q in payload["questions"]:
        labels = dict(tuple(c) for c in q["choices"])
        value = answers.get(q["code"], "")
        rows.append({"code": q["code"], "question": q["label"],
                     "answer": labels.get(value, value), "bad": q["code"] in bad_fields})
    return rows


def flag_labels(codes) -> list[str]:
    return [FLAG_LABELS.get(c, c.replace("_", " ")) for c in codes]


def referral_detail(referral: SocialReferral) -> dict:
    screen = referral.screen
    return {
        "referral": referral,
        "screen": screen,
        "person": person_minimum(referral.person, screen.date),
        "answers": screen_answers(screen),
        "reasons": screen.reason_labels(),
        "flags": flag_labels(screen.flags),
        "unmet": [label for _, label in screen.unmet],
        "events": list(referral.events.select_related("by")),
        "next": [(s, rules.STATUS_LABELS[s]) for s in rules.TRANSITIONS[referral.status]],
    }


def screen_prompt(user, person: Person) -> dict | None:
    """For the person page: may this user screen the family, does the latest
    measurement suggest it, and the latest social referral. None when the
    user has no social permission on the person's posyandu."""
    can_refer = has_perm(user, "social.refer", person.posyandu_id)
    if not can_refer and not has_perm(user, VIEW_PERM, person.posyandu_id):
        return None
    from kader.services.social import latest_flags

    flags, measured_on = latest_flags(person)
    payload = table("social_screen", timezone.localdate())
    reasons = rules.reasons_for_flags(flags, payload)
    labels = dict(rules.reason_choices(payload))
    latest = (
        SocialReferral.objects.filter(person=person).order_by("-created_at").first()
    )
    return {
        "can_refer": can_refer,
        "suggested": [labels[r] for r in reasons],
        "measured_on": measured_on,
        "latest": latest,
    }


def my_referrals(user, *, mine: bool) -> dict:
    """Health and social referrals for the kader/bidan page: made by the user
    (``mine``) or all of the user's posyandu; open ones first."""
    health = Referral.objects.for_user(user).select_related("person", "posyandu", "visit")
    social = referrals_for(user)
    if mine:
        health = health.filter(made_by=user)
        social = social.filter(made_by=user)
    health_open = list(health.filter(status__in=Referral.OPEN_STATUSES).order_by("created_at")[:100])
    health_done = list(health.exclude(status__in=Referral.OPEN_STATUSES)
                       .order_by("-status_changed_at")[:50])
    social_open = list(social.filter(status__in=rules.OPEN_STATUSES).order_by("created_at")[:100])
    social_done = list(social.exclude(status__in=rules.OPEN_STATUSES)
                       .order_by("-status_changed_at")[:50])
    return {
        "health": health_open + health_done,
        "social": social_open + social_done,
        "has_posyandu": bool(posyandu_ids_for(user, VIEW_PERM)),
    }
