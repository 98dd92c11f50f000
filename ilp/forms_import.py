"""Import form: shape only (the file); reading and checking it is the importer's job."""

from django import forms

from ilp.services.importer import MAX_BYTES, MAX_ROWS


class ImportForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas CSV atau XLSX",
        help_text=f"Pakai template di atas. Paling besar {MAX_BYTES // (1024 * 1024)} MB "
                  f"atau {MAX_ROWS} baris.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={
            "required": "Pilih berkas CSV atau XLSX.",
            "empty": "Berkas kosong.",
        },
    )
