from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "interop"
    verbose_name = "Kirim data ke atas (SATUSEHAT, e-PPGBM, ASIK)"
    default_auto_field = "django.db.models.BigAutoField"
