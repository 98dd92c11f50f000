from django.apps import AppConfig


class KaderConfig(AppConfig):
    name = "kader"
    verbose_name = "Kader dan bidan"
