"""Public growth calculator API: z-scores and Permenkes 2/2020 categories for one
measurement. No login and no CSRF (no session authentication): it reads no
stored data and stores nothing. Same rules as the page (``ilp.forms_calculator``).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ilp.forms_calculator import (
    LIMITS,
    MSG_DATE,
    MSG_DECIMALS,
    MSG_NUMBER,
    MSG_REQUIRED,
    check_measurement,
    limit_messages,
)
from ilp.growth import assess

# Own labels (lower case), so the OpenAPI enum gets its own name instead of
# colliding with the registry's "sex" enums.
SEX_CHOICES = [("L", "laki-laki"), ("P", "perempuan")]
METHOD_CHOICES = [("lying", "Telentang (panjang badan)"), ("standing", "Berdiri (tinggi badan)")]


class LocalDecimalInput(serializers.DecimalField):
    """A JSON number, or a string with a decimal comma or dot ("10,5" / "10.5")."""

    def __init__(self, name: str, help_text: str):
        low, high, _ = LIMITS[name]
        messages = {"invalid": MSG_NUMBER, "max_digits": MSG_NUMBER,
                    "max_whole_digits": MSG_NUMBER, "max_decimal_places": MSG_DECIMALS,
                    "max_string_length": MSG_NUMBER, **limit_messages(name)}
        super().__init__(
            max_digits=6, decimal_places=2, min_value=low, max_value=high, required=False,
            allow_null=True, help_text=help_text, error_messages=messages,
        )

    def validate_empty_values(self, data):
        if isinstance(data, str) and not data.strip():
            data = None  # an empty form field means "not measured"
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = "".join(data.split())
            if data.count(",") + data.count(".") > 1:
                self.fail("invalid")
            data = data.replace(",", ".")
        return super().to_internal_value(data)


def _date(help_text: str) -> serializers.DateField:
    return serializers.DateField(
        help_text=help_text, error_messages={"required": MSG_REQUIRED, "null": MSG_REQUIRED,
                                             "invalid": f"{MSG_DATE} Format: YYYY-MM-DD."},
    )


class GrowthAssessInput(serializers.Serializer):
    sex = serializers.ChoiceField(
        choices=SEX_CHOICES, help_text="L = laki-laki, P = perempuan",
        error_messages={"required": MSG_REQUIRED, "null": MSG_REQUIRED,
                        "invalid_choice": "Pilih L (laki-laki) atau P (perempuan)."},
    )
    birth_date = _date("Tanggal lahir (YYYY-MM-DD)")
    measured_on = _date("Tanggal ukur (YYYY-MM-DD), tidak sebelum tanggal lahir")
    weight_kg = LocalDecimalInput("weight_kg", "Berat badan (kg)")
    length_cm = LocalDecimalInput(
        "length_cm", "Panjang/tinggi badan (cm) seperti diukur; wajib dengan method"
    )
    method = serializers.ChoiceField(
        choices=METHOD_CHOICES, required=False, allow_null=True,
        help_text="Cara ukur panjang/tinggi: lying (telentang) atau standing (berdiri). "
        "Di bawah 731 hari berdiri +0,7 cm; dari 731 hari telentang −0,7 cm.",
        error_messages={"invalid_choice": "Pilih lying (telentang) atau standing (berdiri)."},
    )
    head_cm = LocalDecimalInput("head_cm", "Lingkar kepala (cm)")
    muac_cm = LocalDecimalInput("muac_cm", "Lingkar lengan atas / LiLA (cm)")

    def validate(self, attrs):
        data = {name: attrs.get(name) for name in self.fields}
        errors = check_measurement(data)
        if errors:
            raise serializers.ValidationError(
                {"non_field_errors" if k == "__all__" else k: [v] for k, v in errors.items()}
            )
        return attrs


class IndexOutput(serializers.Serializer):
    z = serializers.FloatField(allow_null=True, help_text="Z-skor, 2 desimal")
    category = serializers.CharField(
        allow_null=True, help_text="Kode kategori Permenkes 2/2020; null bila tidak masuk akal "
        "atau indeks tanpa kategori (lilau)",
    )
    label = serializers.CharField(allow_null=True, help_text="Nama kategori, Bahasa Indonesia")
    implausible = serializers.BooleanField(help_text="Tidak masuk akal: ukur ulang")


class GrowthAssessOutput(serializers.Serializer):
    age_days = serializers.IntegerField(help_text="Umur dalam hari")
    age_months = serializers.IntegerField(help_text="Umur dalam bulan penuh")
    length_used_cm = serializers.FloatField(
        allow_null=True, help_text="Panjang/tinggi yang dipakai, setelah koreksi 0,7 cm"
    )
    length_basis = serializers.ChoiceField(
        choices=[("PB", "Panjang badan"), ("TB", "Tinggi badan")], allow_null=True,
        help_text="PB di bawah 731 hari, TB dari 731 hari",
    )
    indices = serializers.DictField(
        child=IndexOutput(),
        help_text="Per indeks yang bisa dihitung: bbu, tbu, bbtb, imtu, lku, lilau",
    )


class GrowthAssessApi(APIView):
    """Z-skor WHO dan kategori gizi untuk satu pengukuran anak (tanpa login)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        summary="Hitung status gizi anak (z-skor WHO, kategori Permenkes 2/2020)",
        description=(
            "Publik, tanpa login, tidak menyimpan data. Umur dihitung dalam hari; "
            "PB/BB-PB di bawah 731 hari, TB/BB-TB dari 731 hari, dengan koreksi 0,7 cm. "
            "Angka boleh memakai koma atau titik desimal. Kesalahan input: 400 dengan "
            "pesan per field dalam Bahasa Indonesia."
        ),
        tags=["gizi"],
        request=GrowthAssessInput,
        responses={
            200: GrowthAssessOutput,
            400: OpenApiResponse(description="Input tidak valid (pesan per field)."),
        },
        examples=[
            OpenApiExample(
                "Anak laki-laki 12 bulan",
                request_only=True,
                value={"sex": "L", "birth_date": "2024-01-10", "measured_on": "2025-01-09",
                       "weight_kg": "9.6", "length_cm": "75.7", "method": "lying"},
            ),
        ],
    )
    def post(self, request):
        data = GrowthAssessInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            result = assess(
                sex=v["sex"], birth_date=v["birth_date"], measured_on=v["measured_on"],
                weight_kg=v.get("weight_kg"), length_cm=v.get("length_cm"),
                method=v.get("method") or None, head_cm=v.get("head_cm"),
                muac_cm=v.get("muac_cm"),
            )
        except ValueError as exc:  # the rules above should make this unreachable
            raise serializers.ValidationError(
                {"non_field_errors": ["Data ini tidak bisa dihitung; periksa lagi isiannya."]}
            ) from exc
        return Response(GrowthAssessOutput(result).data)
