"""Write a posyandu's month as SATUSEHAT FHIR R4 Bundles, validated.

    manage.py satusehat_export --posyandu ID --month YYYY-MM --out FILE.json

The file is one FHIR Bundle of type "collection" whose entries are the
transaction Bundles of the month's visits (one per visit). The Organization id
is the Puskesmas's SATUSEHAT setting, or --organization-id.
"""

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from interop.fhir import visit_bundle
from interop.models import SatusehatSettings
from interop.services.bundles import context_for, month_visits
from interop.validation import InvalidResource, validate
from posyandu.models import Posyandu


class Command(BaseCommand):
    help = "Export one posyandu's month as SATUSEHAT FHIR R4 transaction Bundles (validated)."

    def add_arguments(self, parser):
        parser.add_argument("--posyandu", type=int, required=True)
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--out", required=True)
        parser.add_argument("--organization-id", default="")

    def handle(self, *args, **opts):
        try:
            posyandu = Posyandu.objects.select_related("desa__puskesmas").get(pk=opts["posyandu"])
        except Posyandu.DoesNotExist:
            raise CommandError(f"posyandu {opts['posyandu']} does not exist") from None
        try:
            month = datetime.strptime(opts["month"], "%Y-%m").date()  # noqa: DTZ007
        except ValueError:
            raise CommandError("--month must be YYYY-MM") from None
        org = opts["organization_id"]
        if not org:
            s = SatusehatSettings.objects.filter(puskesmas=posyandu.desa.puskesmas).first()
            if s is None or not s.organization_id:
                raise CommandError(
                    "no SATUSEHAT Organization id: configure the Puskesmas's SATUSEHAT "
                    "settings or pass --organization-id"
                )
            org = s.organization_id
        visits = list(month_visits([posyandu.pk], month))
        ctx = context_for(org, visits)
        bundles = [visit_bundle(v, ctx).bundle for v in visits]
        collection = {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": b} for b in bundles],
        }
        try:
            for b in bundles:
                validate(b)
        except InvalidResource as exc:
            raise CommandError(f"invalid FHIR R4: {exc}") from exc
        with open(opts["out"], "w", encoding="utf-8") as fh:
            json.dump(collection, fh, ensure_ascii=False, indent=1)
        resources = sum(len(b["entry"]) for b in bundles)
        self.stdout.write(
            f"{len(bundles)} kunjungan, {resources} resource FHIR R4 valid -> {opts['out']}"
        )
