from django import forms
from django.contrib import admin

from interop.models import (
    PatientInfo,
    PosyanduLocation,
    PractitionerId,
    SatusehatSettings,
    Submission,
)


class SettingsForm(forms.ModelForm):
    client_secret = forms.CharField(
        label="client secret", required=False, widget=forms.PasswordInput(render_value=False),
        help_text="Kosongkan untuk tidak mengubah. Lebih baik: isi nama variabel lingkungan.",
    )

    custom_auth_url = forms.URLField(
        label="alamat OAuth2 (jika 'alamat lain')", required=False, assume_scheme="https",
        help_text="Tanpa /accesstoken, mis. http://127.0.0.1:8099/oauth2/v1",
    )
    custom_fhir_url = forms.URLField(
        label="alamat FHIR (jika 'alamat lain')", required=False, assume_scheme="https",
        help_text="mis. http://127.0.0.1:8099/fhir-r4/v1",
    )

    class Meta:
        model = SatusehatSettings
        fields = [
            "puskesmas", "enabled", "environment", "custom_auth_url", "custom_fhir_url",
            "organization_id", "client_id", "client_secret_env", "client_secret",
        ]

    def clean_client_secret(self):
        value = self.cleaned_data.get("client_secret")
        if not value and self.instance.pk:
            return self.instance.client_secret  # unchanged: the field never shows it
        return value


@admin.register(SatusehatSettings)
class SatusehatSettingsAdmin(admin.ModelAdmin):
    form = SettingsForm
    list_display = ("puskesmas", "enabled", "environment", "organization_id", "client_id")
    list_filter = ("enabled", "environment")


@admin.register(PosyanduLocation)
class PosyanduLocationAdmin(admin.ModelAdmin):
    list_display = ("posyandu", "location_id")


@admin.register(PractitionerId)
class PractitionerIdAdmin(admin.ModelAdmin):
    list_display = ("user", "ihs_number")
    raw_id_fields = ("user",)


@admin.register(PatientInfo)
class PatientInfoAdmin(admin.ModelAdmin):
    list_display = ("person", "ihs_number", "multiple_birth_order")
    raw_id_fields = ("person",)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("visit", "status", "attempts", "last_attempt_at", "sent_at")
    list_filter = ("status",)
    raw_id_fields = ("visit",)
    readonly_fields = ("returned_ids", "bundle_hash")
