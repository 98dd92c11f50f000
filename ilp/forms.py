"""Forms check shape only; the rules live in ilp.services."""

from django import forms

from ilp.models import Pregnancy, Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DIGITS = {"inputmode": "numeric", "autocomplete": "off"}


def _single_posyandu(form, posyandu_qs) -> None:
    """A user with one posyandu never has to pick it: the field is hidden and
    defaults to that posyandu even if the browser drops the hidden value."""
    form.fields["posyandu"].queryset = posyandu_qs
    only = list(posyandu_qs[:2])
    if len(only) == 1:
        field = form.fields["posyandu"]
        field.initial, field.required, field.widget = only[0], False, forms.HiddenInput()
        form.clean_posyandu = lambda: form.cleaned_data.get("posyandu") or only[0]


class PersonForm(forms.Form):
    posyandu = forms.ModelChoiceField(queryset=None, label="Posyandu tempat tinggal")
    name = forms.CharField(label="Nama lengkap", max_length=120)
    sex = forms.ChoiceField(label="Jenis kelamin", choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(label="Tanggal lahir", widget=DATE)
    birth_date_estimated = forms.BooleanField(
        label="Tanggal lahir perkiraan (hanya tahu tahunnya)", required=False
    )
    nik = forms.CharField(
        label="NIK", required=False, max_length=24, widget=forms.TextInput(attrs=DIGITS),
        help_text="16 angka. Kosongkan jika belum ada NIK.",
    )
    mother_name = forms.CharField(label="Nama ibu", required=False, max_length=120)
    mother_nik = forms.CharField(
        label="NIK ibu", required=False, max_length=24, widget=forms.TextInput(attrs=DIGITS),
        help_text="Untuk bayi/anak yang belum punya NIK.",
    )
    bpjs_number = forms.CharField(
        label="Nomor kartu BPJS/JKN", required=False, max_length=20,
        widget=forms.TextInput(attrs=DIGITS),
    )
    address = forms.CharField(label="Alamat", required=False, max_length=200)
    rt = forms.CharField(label="RT", required=False, max_length=3, widget=forms.TextInput(attrs=DIGITS))
    rw = forms.CharField(label="RW", required=False, max_length=3, widget=forms.TextInput(attrs=DIGITS))
    phone = forms.CharField(
        label="Nomor HP", required=False, max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    has_buku_kia = forms.BooleanField(label="Punya buku KIA/KMS", required=False)
    not_duplicate = forms.BooleanField(
        label="Bukan orang yang sama dengan data di atas", required=False
    )

    # Shown folded on a phone; opened when one of them has a value or an error.
    more_fields = ("birth_date_estimated", "bpjs_number", "phone", "moved_on", "moved_to", "died_on")

    def __init__(self, *args, posyandu_qs, show_not_duplicate=False, **kwargs):
        super().__init__(*args, **kwargs)
        _single_posyandu(self, posyandu_qs)
        if not show_not_duplicate and "not_duplicate" in self.fields:
            self.fields["not_duplicate"].widget = forms.HiddenInput()

    @property
    def more_open(self) -> bool:
        return any(
            self[name].value() or self[name].errors
            for name in self.more_fields if name in self.fields
        )


class PersonEditForm(PersonForm):
    moved_on = forms.DateField(label="Tanggal pindah", required=False, widget=DATE)
    moved_to = forms.CharField(label="Pindah ke", required=False, max_length=200)
    died_on = forms.DateField(label="Tanggal meninggal", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["posyandu"]
        del self.fields["not_duplicate"]


class HouseholdForm(forms.Form):
    posyandu = forms.ModelChoiceField(queryset=None, label="Posyandu")
    kepala_keluarga = forms.CharField(label="Nama kepala keluarga", max_length=120)
    no_kk = forms.CharField(
        label="Nomor KK", required=False, max_length=24, widget=forms.TextInput(attrs=DIGITS),
        help_text="16 angka, dari Kartu Keluarga.",
    )
    alamat = forms.CharField(label="Alamat", required=False, max_length=200)
    rt = forms.CharField(label="RT", required=False, max_length=3, widget=forms.TextInput(attrs=DIGITS))
    rw = forms.CharField(label="RW", required=False, max_length=3, widget=forms.TextInput(attrs=DIGITS))

    def __init__(self, *args, posyandu_qs, **kwargs):
        super().__init__(*args, **kwargs)
        _single_posyandu(self, posyandu_qs)


class PregnancyForm(forms.Form):
    hpht = forms.DateField(label="HPHT (hari pertama haid terakhir)", widget=DATE)
    due_date = forms.DateField(
        label="HPL (taksiran persalinan)", required=False, widget=DATE,
        help_text="Kosongkan untuk dihitung dari HPHT (+280 hari).",
    )
    gravida = forms.IntegerField(label="Kehamilan ke-", required=False, min_value=1, max_value=20)


class PregnancyCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Hasil",
        choices=[c for c in Pregnancy.Outcome.choices if c[0] != Pregnancy.Outcome.ONGOING],
    )
    outcome_date = forms.DateField(label="Tanggal", widget=DATE)


class MergeForm(forms.Form):
    other = forms.UUIDField(widget=forms.HiddenInput())
    confirm = forms.BooleanField(label="Saya sudah memeriksa: keduanya orang yang sama")
