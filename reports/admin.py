from django.contrib import admin

from reports.models import DataChange, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "month", "kind", "status", "requested_by", "requested_at",
                    "finished_at", "attempts", "pages"]
    list_filter = ["status", "level", "kind", "month"]
    date_hierarchy = "month"
    raw_id_fields = ["posyandu", "puskesmas", "kabupaten", "requested_by"]
    readonly_fields = ["requested_at", "started_at", "finished_at", "attempts", "error", "file",
                       "pages", "size", "data_as_of"]


@admin.register(DataChange)
class DataChangeAdmin(admin.ModelAdmin):
    list_display = ["posyandu", "month_from", "month_to", "changed_at"]
    list_filter = ["month_from"]
    raw_id_fields = ["posyandu"]
