"""Team forms: shape only; the rules live in kader.services.team."""

from django import forms

from ilp.forms import DATE, DIGITS
from kader.models.team import Assignment, KaderProfile, StaffProfile

PHONE = {"inputmode": "tel", "autocomplete": "off"}


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class KaderProfileForm(forms.Form):
    position = forms.ChoiceField(label="Jabatan", choices=KaderProfile.Position.choices)
    phone = forms.CharField(label="Nomor HP", required=False, max_length=16,
                            widget=forms.TextInput(attrs=PHONE))
    is_active = forms.BooleanField(label="Masih aktif", required=False)
    areas = forms.ModelMultipleChoiceField(
        label="Wilayah pantauan (RT/RW)", queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_rw = forms.CharField(label="Tambah RW", required=False, max_length=3,
                             widget=forms.TextInput(attrs=DIGITS))
    new_rt = forms.CharField(label="Tambah RT", required=False, max_length=3,
                             widget=forms.TextInput(attrs=DIGITS),
                             help_text="Isi bila RT/RW belum ada di daftar; langsung dipilih untuk kader ini.")

    def __init__(self, *args, rtrw_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = rtrw_qs


class KaderProfileCreateForm(forms.Form):
    kader_user = UserChoiceField(label="Kader", queryset=None)
    position = forms.ChoiceField(label="Jabatan", choices=KaderProfile.Position.choices,
                                 initial=KaderProfile.Position.KADER)

    def __init__(self, *args, user_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kader_user"].queryset = user_qs


class StaffProfileForm(forms.Form):
    kind = forms.ChoiceField(label="Profesi", choices=StaffProfile.Kind.choices,
                             widget=forms.RadioSelect)
    phone = forms.CharField(label="Nomor HP", required=False, max_length=16,
                            widget=forms.TextInput(attrs=PHONE))
    nip = forms.CharField(label="NIP (bila ASN, tidak wajib)", required=False, max_length=30,
                          widget=forms.TextInput(attrs=DIGITS))


class TrainingForm(forms.Form):
    title = forms.CharField(label="Nama pelatihan", max_length=200)
    provider = forms.CharField(label="Penyelenggara", required=False, max_length=120,
                               help_text="Misalnya Plataran Sehat, Puskesmas, Dinas Kesehatan.")
    date = forms.DateField(label="Tanggal", widget=DATE)
    certificate_no = forms.CharField(label="Nomor sertifikat", required=False, max_length=80)


class StaffPlanForm(forms.Form):
    step = forms.TypedChoiceField(
        label="Langkah", coerce=int,
        choices=[(1, "1. Pendaftaran"), (2, "2. Penimbangan & pengukuran"), (3, "3. Pencatatan"),
                 (4, "4. Pemeriksaan (bidan/perawat)"), (5, "5. Penyuluhan")],
    )
    user = UserChoiceField(label="Petugas", queryset=None)

    def __init__(self, *args, user_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = user_qs


class AssignmentForm(forms.Form):
    kind = forms.ChoiceField(label="Jenis tugas", choices=Assignment.Kind.choices)
    title = forms.CharField(label="Uraian tugas", max_length=200)
    assignee = UserChoiceField(label="Petugas", queryset=None)
    due_on = forms.DateField(label="Batas waktu", widget=DATE)

    def __init__(self, *args, user_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = user_qs


class CancelForm(forms.Form):
    reason = forms.CharField(label="Alasan pembatalan", max_length=200)
