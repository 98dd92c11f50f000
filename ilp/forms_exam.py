"""Step 4 (pemeriksaan) forms: shape only. Numbers stay text so a bidan can
type "10,5"; ``parse_decimal`` reads them and answers in Bahasa Indonesia.
The rules (ranges, schedules, scores) live in ``ilp.services.exam``."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from ilp.forms import DATE
from ilp.measure_input import parse_decimal
from ilp.models import Examination, Referral, Supplement

DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}
DIGITS = {"inputmode": "numeric", "autocomplete": "off"}
YES_NO = [("ya", "Ya"), ("tidak", "Tidak")]


def _number(label, attrs=DECIMAL, **kw):
    return forms.CharField(label=label, required=False, max_length=12,
                           widget=forms.TextInput(attrs=attrs), **kw)


def _notes(label="Catatan"):
    return forms.CharField(label=label, required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class NumbersAsText(forms.Form):
    """Fields named in ``numbers`` are read with ``parse_decimal`` ("10,5" or
    "10.5"; blank is None). The services check ranges and whole numbers."""

    numbers: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        for name in self.numbers:
            if name in self.errors or name not in data:
                continue
            try:
                data[name] = parse_decimal(data[name])
            except ValueError as exc:
                self.add_error(name, str(exc))
        return data


class ExaminationForm(NumbersAsText):
    numbers = ("systolic", "diastolic", "glucose_mg_dl", "hb_g_dl")

    systolic = _number("Sistolik (mmHg)", DIGITS | {"placeholder": "sistolik"})
    diastolic = _number("Diastolik (mmHg)", DIGITS | {"placeholder": "diastolik"})
    glucose_mg_dl = _number("Gula darah (mg/dL)", DIGITS)
    glucose_kind = forms.ChoiceField(
        label="Jenis gula darah", required=False, widget=forms.RadioSelect,
        choices=[("sewaktu", "Sewaktu (GDS)"), ("puasa", "Puasa (GDP)")],
    )
    hb_g_dl = _number("Hb (g/dL)", help_text="Contoh: 11,5")
    notes = _notes()

    def clean_glucose_kind(self):
        kind = self.cleaned_data.get("glucose_kind", "")
        return kind if kind in Examination.GlucoseKind.values else ""


class ImmunisationForm(forms.Form):
    """One dose. ``doses``: the open doses (DoseStatus rows) of the person.
    A dose given today must be one the schedule offers today; a dose given
    elsewhere (``given_on``, from the buku KIA) may be any open dose."""

    vaccine = forms.ChoiceField(label="Imunisasi", error_messages={
        "invalid_choice": "Pilih imunisasi dari daftar yang jatuh tempo.",
        "required": "Pilih imunisasi dari daftar yang jatuh tempo.",
    })
    batch_no = forms.CharField(label="Nomor batch", required=False, max_length=40,
                               widget=forms.TextInput(attrs={"autocomplete": "off"}))
    given_on = forms.DateField(
        label="Tanggal diberikan (bila diberikan di tempat lain)", required=False, widget=DATE,
        help_text="Kosongkan bila diberikan hari ini.",
    )

    def __init__(self, *args, doses, **kwargs):
        super().__init__(*args, **kwargs)
        self.doses = {d.code: d for d in doses}
        self.fields["vaccine"].choices = [(d.code, d.label) for d in doses]

    def clean(self):
        data = super().clean()
        dose = self.doses.get(data.get("vaccine"))
        if dose is not None and not data.get("given_on") and not dose.offer and dose.note:
            self.add_error("vaccine", f"{dose.label} belum bisa diberikan hari ini: {dose.note}")
        return data


class SupplementForm(NumbersAsText):
    numbers = ("quantity",)

    kind = forms.ChoiceField(label="Jenis", widget=forms.RadioSelect, error_messages={
        "required": "Pilih jenis suplemen.",
        "invalid_choice": "Jenis ini sudah dicatat pada kunjungan ini atau tidak dikenal.",
    })
    quantity = _number("Jumlah (kapsul, tablet atau paket)", DIGITS, help_text="Boleh kosong.")

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in Supplement.Kind.choices if value not in exclude
        ]


class AncForm(NumbersAsText):
    numbers = ("tfu_cm", "djj", "ttd_tablets")

    tfu_cm = _number("TFU (cm)", help_text="Tinggi fundus uteri")
    djj = _number("DJJ (/menit)", DIGITS, help_text="Denyut jantung janin")
    ttd_tablets = _number("TTD (tablet)", DIGITS, help_text="Tablet tambah darah yang diberikan")
    kelas_ibu = forms.BooleanField(label="Ikut kelas ibu hamil", required=False)
    notes = _notes()


class ScreeningForm(forms.Form):
    """The items of one instrument from the ``screenings`` table, one field
    per item code. ``sections`` groups the bound fields for the template:
    ``[(heading, note, [bound fields])]``. PUMA items 1–2 (sex, age) come from
    the register and are not asked."""

    REGISTER_ITEMS = ("jenis_kelamin", "usia")

    def __init__(self, *args, instrument: str, spec: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        layout: list[tuple[str, str, list[str]]] = []
        if instrument == "skilas":
            for domain in spec["domains"]:
                names = [self._yes_no(item) for item in domain["items"]]
                layout.append((domain["label"], "", names))
        elif instrument == "adl":
            names = []
            for item in spec["items"]:
                self.fields[item["code"]] = forms.ChoiceField(
                    label=f"{item['no']}. {item['text']}", required=False,
                    widget=forms.RadioSelect,
                    choices=[(str(o["score"]), f"{o['label']} ({o['score']})")
                             for o in item["options"]],
                )
                names.append(item["code"])
            layout.append(("", "", names))
        elif instrument == "puma":
            names = []
            for item in spec["items"]:
                if item["code"] in self.REGISTER_ITEMS:
                    continue
                if item["kind"] == "pack_years":
                    if names:
                        layout.append(("", "", names))
                    names = []
                    for code, label in item["fields"].items():
                        self.fields[code] = _number(label, DIGITS)
                        names.append(code)
                    layout.append((f"{item['no']}. Merokok", "Isi 0 bila tidak pernah merokok.",
                                   names))
                    names = []
                else:
                    names.append(self._yes_no(item))
            if names:
                layout.append(("", "", names))
        else:  # srq20 and any plain yes/no list
            layout.append(("", "", [self._yes_no(item) for item in spec["items"]]))
        self.sections = [(h, note, [self[n] for n in names]) for h, note, names in layout]

    def _yes_no(self, item: dict) -> str:
        label = f"{item['no']}. {item['text']}" if item.get("no") else item["text"]
        self.fields[item["code"]] = forms.ChoiceField(
            label=label, required=False, choices=YES_NO, widget=forms.RadioSelect
        )
        return item["code"]

    def answers(self) -> dict:
        """What the service scores: the answered items (blank ones are left
        out so the service can say which are missing)."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ReferralForm(forms.Form):
    reason = forms.CharField(
        label="Alasan rujukan", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Tulis alasan rujukan."},
    )
    flags = forms.MultipleChoiceField(
        label="Temuan", required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = _notes()

    def __init__(self, *args, flags=(), **kwargs):
        """``flags``: (code, label) of the visit's findings."""
        super().__init__(*args, **kwargs)
        self.fields["flags"].choices = list(flags)
        if not flags:
            del self.fields["flags"]


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status baru", choices=Referral.Status.choices,
                               widget=forms.RadioSelect)
    notes = forms.CharField(label="Catatan (wajib bila batal)", required=False, max_length=500)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


def typed(value) -> str:
    """A stored number as it is typed: Decimal("11.50") -> "11,5"."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = format(value.normalize(), "f")
    return str(value).replace(".", ",")
