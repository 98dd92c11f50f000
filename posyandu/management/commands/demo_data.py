"""Load the small demo area once, plus the ``admin`` superuser (``make run``).

Idempotent: when the database already has a posyandu nothing is generated, and
the admin user is created only when missing. The demo logins are printed on
every run."""

from django.core.management.base import BaseCommand

from posyandu.demo.generator import DemoLogin, generate_area
from posyandu.models import Membership, Posyandu, Role, User

DEMO_PASSWORD = "posyandu123"
DEMO_SIZE = {
    "puskesmas": 1, "posyandu_per_puskesmas": 3, "people_per_posyandu": 120, "months": 12,
}


def demo_logins() -> list[DemoLogin]:
    """A few logins read back from the database: the first kader of the first
    three posyandu, two bidan, one Puskesmas user, one Dinkes user, admin."""
    logins: list[DemoLogin] = []
    for pos in Posyandu.objects.order_by("id")[:3]:
        m = (
            Membership.objects.filter(posyandu=pos, role=Role.KADER, is_active=True)
            .select_related("user").order_by("user_id").first()
        )
        if m:
            logins.append(DemoLogin(m.user.username, "kader", str(pos)))
    bidan_ids = (
        Membership.objects.filter(role=Role.BIDAN, is_active=True)
        .order_by("user_id").values_list("user_id", flat=True).distinct()[:2]
    )
    for user in User.objects.filter(id__in=list(bidan_ids)).order_by("id"):
        covered = Posyandu.objects.filter(
            memberships__user=user, memberships__role=Role.BIDAN, memberships__is_active=True
        ).order_by("id")
        logins.append(DemoLogin(user.username, "bidan", ", ".join(str(p) for p in covered)))
    for role, scope_field in (
        (Role.PUSKESMAS, "puskesmas"), (Role.DINKES, "kabupaten"), (Role.PUSKESOS, "desa"),
    ):
        m = (
            Membership.objects.filter(role=role, is_active=True)
            .select_related("user", scope_field).order_by("user_id").first()
        )
        if m:
            scope = getattr(m, scope_field)
            label = f"Kabupaten {scope}" if role == Role.DINKES else str(scope)
            logins.append(DemoLogin(m.user.username, str(role), label))
    if User.objects.filter(username="admin", is_superuser=True).exists():
        logins.append(DemoLogin("admin", "admin", "semua wilayah"))
    return logins


class Command(BaseCommand):
    help = (
        "Mengisi data demo (1 Puskesmas, 3 posyandu, ±120 sasaran per posyandu, riwayat "
        "12 bulan) bila belum ada posyandu, dan membuat superuser admin bila belum ada."
    )

    def handle(self, *args, **opts):
        if Posyandu.objects.exists():
            self.stdout.write("Data demo tidak dibuat: basis data sudah berisi posyandu.")
        else:
            summary = generate_area(
                **DEMO_SIZE, password=DEMO_PASSWORD, friendly_usernames=True
            )
            self.stdout.write(self.style.SUCCESS(
                f"Data demo dibuat dalam {summary.seconds:.1f} detik: "
                f"{summary.counts['Posyandu']} posyandu, {summary.counts['Person']} sasaran, "
                f"{summary.counts['Measurement']} pengukuran."
            ))
            self._seed_features()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "", DEMO_PASSWORD, first_name="Admin")
            self.stdout.write("Superuser admin dibuat.")
        self.stdout.write(f"Login demo (kata sandi: {DEMO_PASSWORD}):")
        for login in demo_logins():
            self.stdout.write(f"  {login.username} ({login.role}, {login.scope})")

    def _seed_features(self):
        """The co-production and report features over the fresh demo area:
        teams and a planned day, follow-up tasks, Puskesos referrals, and last
        month's reports (built in-process in the embedded default)."""
        from kader.demo_social import seed_demo_social
        from kader.demo_tasks import seed_demo_tasks
        from kader.demo_team import seed_demo_team
        from reports.demo import seed_demo_reports

        ids = list(Posyandu.objects.order_by("pk").values_list("pk", flat=True))
        seed_demo_team(ids)
        seed_demo_tasks(ids)
        seed_demo_social(password=DEMO_PASSWORD)
        reports = seed_demo_reports()
        self.stdout.write(
            f"Tim kader, tugas tindak lanjut, rujukan Puskesos dan {len(reports)} laporan dibuat."
        )
