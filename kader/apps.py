from django.apps import AppConfig


class KaderConfig(AppConfig):
    name = "kader"
    verbose_name = "Kader dan bidan"

    def ready(self):
        from kader import signals

        signals.connect()  # follow-up rules after each save of the ilp records
