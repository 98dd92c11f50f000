"""Forms of the follow-up pages: shape only. Numbers stay text so the services
accept "10,5" and answer in Bahasa Indonesia beside the field."""

from __future__ import annotations

import uuid

from django import forms

from ilp.due import measurement_fields
from ilp.forms import DATE
from ilp.lifecycle import completed_months
from ilp.models import LengthMethod
from kader.models.tasks import FollowUpTask, HomeVisit

DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}
DIGITS = {"inputmode": "numeric", "autocomplete": "off"}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Alasan pembatalan", max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "mis. pindah ke luar desa"}),
        error_messages={"required": "Tulis alasan pembatalan tugas."},
    )


class CompleteForm(forms.Form):
    note = forms.CharField(label="Catatan (tidak wajib)", max_length=300, required=False)


class TaskFilterForm(forms.Form):
    posyandu = forms.ChoiceField(label="Posyandu", required=False)
    kader = forms.ChoiceField(label="Kader", required=False)
    status = forms.ChoiceField(
        label="Status", required=False,
        choices=[("open", "Belum dikerjakan"), ("done", "Selesai"),
                 ("cancelled", "Dibatalkan"), ("semua", "Semua")],
    )

    def __init__(self, *args, posyandu_choices, kader_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posyandu"].choices = [("", "Semua posyandu"), *posyandu_choices]
        self.fields["kader"].choices = [("", "Semua kader"), ("none", "Belum ada penanggung jawab"),
                                        *kader_choices]
        if len(posyandu_choices) <= 1:
            self.fields["posyandu"].widget = forms.HiddenInput()


def _text(label, attrs=DECIMAL, **kw):
    return forms.CharField(label=label, required=False, max_length=12,
                           widget=forms.TextInput(attrs=attrs), **kw)


class HomeVisitForm(forms.Form):
    """The home visit of one person. Measurement fields fit the person's age
    (as at step 2, without blood pressure: the bidan's examination is the
    reading at home); the examination fields only for the bidan."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label="Tanggal kunjungan", widget=DATE)
    found = forms.TypedChoiceField(
        label="Sasaran ditemui?", widget=forms.RadioSelect, coerce=lambda v: v == "ya",
        choices=[("ya", "Ya, ditemui"), ("tidak", "Tidak ada di rumah")], initial="ya",
    )
    weight_kg = _text("Berat badan (kg)", help_text="Contoh: 10,5")
    length_cm = _text("Panjang/tinggi badan (cm)")
    length_method = forms.ChoiceField(label="Cara ukur", required=False,
                                      choices=LengthMethod.choices, widget=forms.RadioSelect)
    head_cm = _text("Lingkar kepala (cm)")
    muac_cm = _text("LiLA (cm)")
    waist_cm = _text("Lingkar perut (cm)")
    confirm_unusual = forms.BooleanField(label="Sudah diukur ulang dan hasilnya benar",
                                         required=False)
    exam_systolic = _text("Tekanan darah sistolik (mmHg)", DIGITS)
    exam_diastolic = _text("Tekanan darah diastolik (mmHg)", DIGITS)
    exam_glucose_mg_dl = _text("Gula darah (mg/dL)", DIGITS)
    exam_glucose_kind = forms.ChoiceField(
        label="Jenis gula darah", required=False, widget=forms.RadioSelect,
        choices=[("sewaktu", "Sewaktu (GDS)"), ("puasa", "Puasa (GDP)")],
    )
    exam_hb_g_dl = _text("Hb (g/dL)", help_text="Contoh: 11,5")
    notes = forms.CharField(label="Temuan dan catatan", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    topics = forms.MultipleChoiceField(label="Penyuluhan yang diberikan", required=False,
                                       widget=forms.CheckboxSelectMultiple)
    refer_to = forms.ChoiceField(label="Rujukan", required=False, widget=forms.RadioSelect)
    refer_note = forms.CharField(label="Alasan rujukan", required=False, max_length=300)

    measure_fields = ("weight_kg", "length_cm", "length_method", "head_cm", "muac_cm",
                      "waist_cm", "confirm_unusual")
    exam_fields = ("exam_systolic", "exam_diastolic", "exam_glucose_mg_dl", "exam_glucose_kind",
                   "exam_hb_g_dl")

    def __init__(self, *args, person, on, topics: list[dict], is_bidan: bool,
                 show_confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        age = completed_months(person.birth_date, on) if person.birth_date <= on else 0
        groups = person.lifecycle_groups(on)
        keep = set(measurement_fields(age_months=age, sex=person.sex, groups=groups,
                                      measures_bp=False))
        if show_confirm:
            keep.add("confirm_unusual")
        for name in self.measure_fields:
            if name not in keep:
                del self.fields[name]
        if not is_bidan:
            for name in self.exam_fields:
                del self.fields[name]
        self.fields["topics"].choices = [(t["code"], t["label"]) for t in topics]
        refer = [("", "Tidak dirujuk"), (HomeVisit.ReferTo.BIDAN, HomeVisit.ReferTo.BIDAN.label)]
        if is_bidan:
            refer.append((HomeVisit.ReferTo.PUSKESMAS, "Rujuk ke Puskesmas"))
        self.fields["refer_to"].choices = refer
        self.fields["refer_to"].initial = ""
        if "length_method" in self.fields and not self.is_bound:
            self.fields["length_method"].initial = "lying" if (on - person.birth_date).days < 731 \
                else "standing"

    @property
    def measure_bound_fields(self):
        return [self[n] for n in self.measure_fields if n in self.fields]

    @property
    def exam_bound_fields(self):
        return [self[n] for n in self.exam_fields if n in self.fields]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("date", None)
        if data.get("client_id"):
            data["client_id"] = str(data["client_id"])
        return data


def new_client_id() -> str:
    return str(uuid.uuid4())


TASK_STATUS_LABELS = dict(FollowUpTask.Status.choices)
