from django.apps import AppConfig


class IlpConfig(AppConfig):
    name = "ilp"
    verbose_name = "Layanan ILP (sasaran dan hari buka)"
