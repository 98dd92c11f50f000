"""Scoping cases of the social screen and Puskesos referral routes
(kader/urls_social.py, kader/api_social.py). Rows a route reads or changes are
made inside the kwargs lambdas (get_or_create) and watched; watching the list
of a person's screens/referrals also catches a row created by an outsider."""

from datetime import date

from kader.models.social import SocialReferral, SocialScreen
from tests.posyandu.scoping_support import Route

ANSWERS = {"dtsen": "tidak", "pkh": "tidak", "bpnt": "tidak", "jkn": "tidak"}


def _screen(o):
    screen, _ = SocialScreen.objects.get_or_create(
        person=o.person,
        defaults={"posyandu": o.person.posyandu, "household": o.household,
                  "date": date(2026, 5, 4), "reasons": ["stunting"], "refer": True,
                  "unmet": [["dtsen_belum", "Belum terdaftar di DT-SEN"]], **ANSWERS},
    )
    return screen


def _referral(o):
    screen = _screen(o)
    referral, _ = SocialReferral.objects.get_or_create(
        screen=screen,
        defaults={"person": o.person, "household": o.household, "posyandu": o.person.posyandu},
    )
    return referral


def _screens(o):
    return list(SocialScreen.objects.filter(person=o.person).order_by("pk"))


def _referrals(o):
    return list(SocialReferral.objects.filter(person=o.person).order_by("pk"))


SCREEN_POST = {"reasons": ["stunting"], "client_id": "7b0c5f3e-3c55-4a55-9a55-0d5a5a5a5a01",
               **ANSWERS}

ROUTES: dict[str, Route] = {
    "kader:social-screen": Route(
        lambda o: {"uuid": o.person.uuid}, ("GET", "POST"), lambda o: SCREEN_POST,
        lambda o: [o.person, *_screens(o)],
    ),
    "kader:social-screen-result": Route(lambda o: {"uuid": _screen(o).uuid}),
    "kader:social-refer": Route(
        lambda o: {"uuid": _screen(o).uuid}, ("POST",), lambda o: {"notes": "dari luar"},
        lambda o: [_screen(o), *_referrals(o)],
    ),
    "kader:social-referral-detail": Route(lambda o: {"uuid": _referral(o).uuid}),
    "kader:social-referral-status": Route(
        lambda o: {"uuid": _referral(o).uuid}, ("POST",),
        lambda o: {"status": "diproses", "note": "diproses orang lain"},
        lambda o: _referrals(o),
    ),
    "api:kader:social-referral-detail": Route(lambda o: {"uuid": _referral(o).uuid}),
    "api:kader:social-referral-status": Route(
        lambda o: {"uuid": _referral(o).uuid}, ("POST",),
        lambda o: {"status": "diproses", "note": "lewat API orang lain"},
        lambda o: _referrals(o),
    ),
}

LIST_ROUTES: dict[str, dict] = {
    "kader:social-referral-list": {"status": "diajukan"},
    "kader:my-referrals": {"semua": "1"},
    "api:kader:social-screen-list": {},
    "api:kader:social-referral-list": {"status": "diajukan"},
}
