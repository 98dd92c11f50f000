"""Serializers of the reports API: the query filters (messages in Bahasa
Indonesia) and the response shapes (for the OpenAPI schema)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from reports.areas import LEVELS
from reports.forms import MONTH_HELP, current_month, parse_month


class ReportQuery(serializers.Serializer):
    """?level=&area=&month=. Without level and area: the user's widest area;
    without month: the current month."""

    level = serializers.ChoiceField(
        choices=LEVELS, required=False,
        help_text="posyandu, puskesmas atau kabupaten",
        error_messages={"invalid_choice": "Tingkat \"{input}\" tidak dikenal: pilih posyandu, puskesmas atau kabupaten."},
    )
    area = serializers.IntegerField(
        required=False, min_value=1,
        help_text="id posyandu, Puskesmas atau kabupaten (lihat /api/v1/reports/areas/)",
        error_messages={"invalid": "Wilayah harus berupa angka id.",
                        "min_value": "Wilayah harus berupa angka id."},
    )
    month = serializers.CharField(required=False, help_text=MONTH_HELP)

    def validate_month(self, value):
        try:
            return parse_month(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages[0]) from None

    def validate(self, attrs):
        if ("level" in attrs) != ("area" in attrs):
            raise serializers.ValidationError(
                {"area" if "level" in attrs else "level": "Isi tingkat (level) dan wilayah (area) bersama-sama."}
            )
        attrs.setdefault("month", current_month())
        return attrs


class AreaOut(serializers.Serializer):
    level = serializers.ChoiceField(choices=LEVELS)
    level_label = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    posyandu_count = serializers.IntegerField()


class ColumnOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField()
    kind = serializers.ChoiceField(choices=["int", "pct", "text"])


class RowOut(serializers.Serializer):
    label = serializers.CharField()
    values = serializers.ListField(
        child=serializers.JSONField(), help_text="satu nilai per kolom (angka, persen atau teks; null bila tidak ada)"
    )
    is_total = serializers.BooleanField()
    key = serializers.CharField()


class TableOut(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    label_header = serializers.CharField()
    columns = ColumnOut(many=True)
    rows = RowOut(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class ReportOut(serializers.Serializer):
    area = AreaOut()
    level = serializers.ChoiceField(choices=LEVELS)
    month = serializers.CharField(help_text="TTTT-BB")
    kind = serializers.CharField()
    tables = TableOut(many=True)


class TrendMonthOut(serializers.Serializer):
    month = serializers.CharField(help_text="TTTT-BB")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="S, K, D, B, O, N, T, D′, 2T, BGM (L + P)"
    )
    indicators = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="K/S, D/S, D/K, N/D, N/D′, N/S, BGM/D, 2T/D dalam persen; null bila penyebut 0",
    )


class TrendOut(serializers.Serializer):
    area = AreaOut()
    level = serializers.ChoiceField(choices=LEVELS)
    month = serializers.CharField(help_text="bulan terakhir, TTTT-BB")
    months = TrendMonthOut(many=True)


def area_out(area) -> dict:
    from reports.areas import LEVEL_LABELS

    return {
        "level": area.level, "level_label": LEVEL_LABELS[area.level], "id": area.obj.pk,
        "name": area.name, "posyandu_count": len(area.posyandu_ids),
    }
