from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from posyandu import models as m


class MembershipInline(admin.TabularInline):
    model = m.Membership
    extra = 0
    autocomplete_fields = ["posyandu", "puskesmas", "kabupaten", "desa"]


@admin.register(m.User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + (("Kontak", {"fields": ["phone"]}),)
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]


@admin.register(m.Kabupaten)
class KabupatenAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "provinsi"]
    search_fields = ["kode", "nama"]


@admin.register(m.Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "kabupaten"]
    search_fields = ["kode", "nama"]
    list_filter = ["kabupaten"]


@admin.register(m.Puskesmas)
class PuskesmasAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "kecamatan"]
    search_fields = ["kode", "nama"]


@admin.register(m.Desa)
class DesaAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "kecamatan", "puskesmas"]
    search_fields = ["kode", "nama"]
    list_filter = ["puskesmas"]


class RtRwInline(admin.TabularInline):
    model = m.RtRw
    extra = 0


@admin.register(m.Posyandu)
class PosyanduAdmin(admin.ModelAdmin):
    list_display = ["nama", "desa", "timezone", "is_active"]
    search_fields = ["nama", "desa__nama"]
    list_filter = ["desa__puskesmas", "is_active"]
    inlines = [RtRwInline]


@admin.register(m.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "posyandu", "puskesmas", "kabupaten", "desa", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__first_name"]
    autocomplete_fields = ["user", "posyandu", "puskesmas", "kabupaten", "desa"]


@admin.register(m.ReferenceTable)
class ReferenceTableAdmin(admin.ModelAdmin):
    list_display = ["code", "valid_from", "created_at"]
    list_filter = ["code"]
