from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kader.models import team as m


class SkillInline(admin.TabularInline):
    model = m.SkillVerification
    extra = 0
    raw_id_fields = ["verified_by"]


class TrainingInline(admin.TabularInline):
    model = m.TrainingRecord
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(m.KaderProfile)
class KaderProfileAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "posyandu", "position", "phone", "is_active"]
    list_filter = ["position", "is_active", "posyandu"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "phone"]
    raw_id_fields = ["user"]
    filter_horizontal = ["areas"]
    inlines = [SkillInline, TrainingInline]


@admin.register(m.StaffProfile)
class StaffProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "phone", "nip"]
    list_filter = ["kind"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "nip"]
    raw_id_fields = ["user"]


@admin.register(m.ServiceDayStaff)
class ServiceDayStaffAdmin(SimpleHistoryAdmin):
    list_display = ["service_day", "step", "user", "planned_by"]
    list_filter = ["step", "posyandu"]
    raw_id_fields = ["service_day", "user", "planned_by"]


@admin.register(m.Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "posyandu", "assignee", "due_on", "status"]
    list_filter = ["status", "kind", "posyandu"]
    search_fields = ["title"]
    raw_id_fields = ["assignee", "created_by", "closed_by"]
