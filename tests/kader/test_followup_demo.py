"""The demo hook: the rules over generated demo data give assigned tasks and one
home visit per posyandu whose weight counts for the month's D; a second run
adds nothing."""

import pytest
from django.utils import timezone

from ilp.models import Measurement, Visit
from kader.demo_tasks import seed_demo_tasks
from kader.demo_team import seed_demo_team
from kader.models.tasks import FollowUpTask, HomeVisit
from posyandu.demo.generator import generate_area
from posyandu.models import Posyandu
from posyandu.reference import sync_shipped_tables

pytestmark = pytest.mark.django_db


def test_seed_demo_tasks_over_generated_data():
    sync_shipped_tables()
    generate_area(puskesmas=1, posyandu_per_puskesmas=2, people_per_posyandu=80, months=3,
                  seed=11)
    ids = list(Posyandu.objects.values_list("pk", flat=True))
    seed_demo_team(ids)
    result = seed_demo_tasks(ids)
    assert result.created > 0
    assert FollowUpTask.objects.filter(assigned_to__isnull=False).count() == \
        FollowUpTask.objects.count()  # every address has a kader or the ketua
    rules = set(FollowUpTask.objects.values_list("rule", flat=True))
    assert "imunisasi" in rules  # the generator records no vaccines
    homes = list(HomeVisit.objects.select_related("visit", "task"))
    assert homes, "one home visit per posyandu with an absent child"
    for home in homes:
        assert home.visit.kind == Visit.Kind.HOME and home.task.status == "done"
        m = Measurement.objects.filter(visit=home.visit).first()
        if m is not None:
            assert m.measured_on == timezone.localdate() and m.weight_kg
    again = seed_demo_tasks(ids)
    assert again.created == 0 and HomeVisit.objects.count() == len(homes)
