from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ilp import models as m


@admin.register(m.Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["kepala_keluarga", "no_kk", "posyandu", "rt", "rw"]
    search_fields = ["kepala_keluarga", "no_kk"]
    list_filter = ["posyandu"]


class PregnancyInline(admin.TabularInline):
    model = m.Pregnancy
    extra = 0


@admin.register(m.Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sex", "birth_date", "nik", "posyandu", "merged_into"]
    search_fields = ["name", "nik", "mother_name"]
    list_filter = ["posyandu", "sex"]
    raw_id_fields = ["mother", "household"]
    inlines = [PregnancyInline]


@admin.register(m.ServiceDay)
class ServiceDayAdmin(SimpleHistoryAdmin):
    list_display = ["posyandu", "date", "status"]
    list_filter = ["status", "posyandu"]
    date_hierarchy = "date"


@admin.register(m.Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["person", "measured_on", "weight_kg", "length_cm", "trend", "bbu_cat"]
    list_filter = ["posyandu"]
    raw_id_fields = ["visit", "person"]
    date_hierarchy = "measured_on"


@admin.register(m.SyncOperation)
class SyncOperationAdmin(admin.ModelAdmin):
    """The sync ledger: read-only (rows are written only by ilp.services.sync)."""

    list_display = ["client_id", "kind", "user", "posyandu", "taken_at", "received_at"]
    list_filter = ["kind", "posyandu"]
    search_fields = ["client_id"]
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in m.SyncOperation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
