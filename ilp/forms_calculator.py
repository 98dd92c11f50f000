"""Form of the public growth calculator (kalkulator status gizi).

The cross-field rules (``check_measurement``) and the plausible input ranges
(``LIMITS``) are shared with the API serializer in ``ilp.api_calculator``.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

SEX_CHOICES = [("L", "Laki-laki"), ("P", "Perempuan")]
METHOD_CHOICES = [("lying", "Telentang"), ("standing", "Berdiri")]
MEASUREMENTS = ("weight_kg", "length_cm", "head_cm", "muac_cm")

# Plausible input ranges: a typo (105 kg for 10,5) is caught here; values inside
# the range but far from the WHO median are flagged by the z-score instead.
LIMITS: dict[str, tuple[Decimal, Decimal, str]] = {
    "weight_kg": (Decimal("0.5"), Decimal("200"), "kg"),
    "length_cm": (Decimal("30"), Decimal("230"), "cm"),
    "head_cm": (Decimal("20"), Decimal("70"), "cm"),
    "muac_cm": (Decimal("5"), Decimal("60"), "cm"),
}

MSG_NUMBER = "Isi angka, misalnya 10,5."
MSG_REQUIRED = "Wajib diisi."
MSG_DATE = "Isi tanggal yang benar."
MSG_BEFORE_BIRTH = "Tanggal ukur tidak boleh sebelum tanggal lahir."
MSG_METHOD = "Pilih cara ukur: telentang atau berdiri."
MSG_NOTHING = (
    "Isi paling sedikit satu ukuran: berat badan, panjang/tinggi badan, "
    "lingkar kepala, atau LiLA."
)
MSG_DECIMALS = "Paling banyak 2 angka di belakang koma."


def decimal_text(value: Decimal) -> str:
    """10.5 -> "10,5" (for messages)."""
    return format(value.normalize(), "f").replace(".", ",")


def limit_messages(name: str) -> dict[str, str]:
    low, high, unit = LIMITS[name]
    return {
        "min_value": f"Periksa lagi: paling kecil {decimal_text(low)} {unit}.",
        "max_value": f"Periksa lagi: paling besar {decimal_text(high)} {unit}.",
    }


def check_measurement(data: dict) -> dict[str, str]:
    """Rules across fields; returns {field or "__all__": message in Bahasa Indonesia}."""
    errors: dict[str, str] = {}
    birth, measured = data.get("birth_date"), data.get("measured_on")
    if birth and measured and measured < birth:
        errors["measured_on"] = MSG_BEFORE_BIRTH
    if data.get("length_cm") is not None and not data.get("method"):
        errors["method"] = MSG_METHOD
    if all(data.get(name) is None for name in MEASUREMENTS):
        errors["__all__"] = MSG_NOTHING
    return errors


class LocalDecimalField(forms.DecimalField):
    """A decimal typed either way: "10,5" (Indonesian) or "10.5".

    Spaces are ignored; a value with both a comma and a dot, or two of either,
    is refused rather than guessed (is "1.050" 1,05 or 1050?).
    """

    default_error_messages = {
        "invalid": MSG_NUMBER,
        "max_decimal_places": MSG_DECIMALS,
        "max_digits": MSG_NUMBER,
        "max_whole_digits": MSG_NUMBER,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split())
            if value.count(",") + value.count(".") > 1:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = value.replace(",", ".")
        return super().to_python(value)


def _measure(name: str, label: str, help_text: str = "") -> LocalDecimalField:
    low, high, _ = LIMITS[name]
    return LocalDecimalField(
        label=label, required=False, min_value=low, max_value=high, help_text=help_text,
        error_messages=limit_messages(name),
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": MSG_REQUIRED, "invalid": MSG_DATE}


class GrowthCalculatorForm(forms.Form):
    sex = forms.ChoiceField(
        label="Jenis kelamin", choices=SEX_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "Pilih laki-laki atau perempuan.",
                        "invalid_choice": "Pilih laki-laki atau perempuan."},
    )
    birth_date = forms.DateField(label="Tanggal lahir", widget=DATE, error_messages=DATE_ERRORS)
    measured_on = forms.DateField(
        label="Tanggal ukur", widget=DATE, initial=timezone.localdate,
        error_messages=DATE_ERRORS,
    )
    weight_kg = _measure("weight_kg", "Berat badan (kg)")
    length_cm = _measure("length_cm", "Panjang/tinggi badan (cm)")
    method = forms.ChoiceField(
        label="Cara ukur", choices=METHOD_CHOICES, widget=forms.RadioSelect, required=False,
        help_text="Di bawah 2 tahun diukur telentang, 2 tahun ke atas berdiri; "
        "bila tidak, hasil dikoreksi 0,7 cm.",
        error_messages={"invalid_choice": MSG_METHOD},
    )
    head_cm = _measure("head_cm", "Lingkar kepala (cm)")
    muac_cm = _measure("muac_cm", "Lingkar lengan atas / LiLA (cm)")

    def clean(self):
        data = super().clean()
        typo_in_a_measure = any(name in self.errors for name in MEASUREMENTS)
        for field, message in check_measurement(data).items():
            if field == "__all__":
                if not typo_in_a_measure:  # "fill in one" would mislead beside a typo
                    self.add_error(None, message)
            elif field not in self.errors:
                self.add_error(field, message)
        return data
