from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class PosyanduConfig(AppConfig):
    name = "posyandu"
    verbose_name = "Wilayah dan pengguna"

    def ready(self):
        from posyandu import reference
        from posyandu.models import ReferenceTable

        def _sync(sender, **kwargs):
            if sender.name == self.name:
                reference.sync_shipped_tables()

        post_migrate.connect(_sync, weak=False, dispatch_uid="posyandu-sync-reference")
        post_save.connect(
            lambda **kw: reference.clear_cache(), sender=ReferenceTable, weak=False,
            dispatch_uid="posyandu-reference-cache",
        )
