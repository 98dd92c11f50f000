"""Service-day forms: shape only. Numbers stay text here so the service can
accept "10,5" and answer in Bahasa Indonesia."""

import uuid

from django import forms

from ilp.forms import DATE, _single_posyandu
from ilp.models import LengthMethod

DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


class ServiceDayForm(forms.Form):
    posyandu = forms.ModelChoiceField(queryset=None, label="Posyandu")
    date = forms.DateField(label="Tanggal", widget=DATE)
    place = forms.CharField(label="Tempat", required=False, max_length=200)

    def __init__(self, *args, posyandu_qs, **kwargs):
        super().__init__(*args, **kwargs)
        _single_posyandu(self, posyandu_qs)


class ReopenForm(forms.Form):
    reason = forms.CharField(label="Alasan membuka kembali", max_length=200)


def _text(label, attrs=DECIMAL, **kw):
    return forms.CharField(label=label, required=False, max_length=12,
                           widget=forms.TextInput(attrs=attrs), **kw)


class MeasurementForm(forms.Form):
    weight_kg = _text("Berat badan (kg)", help_text="Contoh: 10,5")
    length_cm = _text("Panjang/tinggi badan (cm)")
    length_method = forms.ChoiceField(
        label="Cara ukur", required=False, choices=LengthMethod.choices, widget=forms.RadioSelect
    )
    head_cm = _text("Lingkar kepala (cm)")
    muac_cm = _text("LiLA (cm)")
    waist_cm = _text("Lingkar perut (cm)")
    systolic = _text("Tekanan darah sistolik (mmHg)", attrs={"inputmode": "numeric"})
    diastolic = _text("Tekanan darah diastolik (mmHg)", attrs={"inputmode": "numeric"})
    confirm_unusual = forms.BooleanField(
        label="Sudah diukur ulang dan hasilnya benar", required=False
    )

    def __init__(self, *args, fields: list[str], show_confirm=False, **kwargs):
        super().__init__(*args, **kwargs)
        keep = set(fields) | ({"confirm_unusual"} if show_confirm else set())
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class OverrideForm(forms.Form):
    trend = forms.ChoiceField(label="Status KMS", choices=[("N", "N (naik)"), ("T", "T (tidak naik)"), ("", "Hapus koreksi")], required=False)
    reason = forms.CharField(label="Alasan (mis. grafik naik mengikuti garis)", max_length=200)


class CounsellingForm(forms.Form):
    topics = forms.MultipleChoiceField(label="Topik penyuluhan", widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label="Catatan", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, topics: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(t["code"], t["label"]) for t in topics]


def new_client_id() -> str:
    return str(uuid.uuid4())
