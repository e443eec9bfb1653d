"""The Django admin is for operators: organisations, people and roles, never private text."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, AuditEvent, Invitation, Membership, Organization, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_language", "time_zone", "is_active", "created_at"]
    search_fields = ["name", "slug"]
    list_filter = ["is_active", "default_language"]


class TenantAdmin(admin.ModelAdmin):
    """Operators work across organisations: the admin runs under ``cross_organization``."""

    list_select_related = ["organization"]

    def get_queryset(self, request):
        return self.model.objects_unscoped.select_related("organization")


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ["user", "organization", "job_title", "is_hr_admin", "is_leader", "is_active"]
    list_filter = ["is_active", "is_hr_admin", "is_leader", "organization"]
    search_fields = ["user__email", "job_title"]
    raw_id_fields = ["user", "team", "manager"]
    list_select_related = ["organization", "user"]


@admin.register(Team)
class TeamAdmin(TenantAdmin):
    list_display = ["name", "organization", "parent"]
    search_fields = ["name"]
    raw_id_fields = ["parent"]


@admin.register(Invitation)
class InvitationAdmin(TenantAdmin):
    list_display = ["email", "organization", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]
    raw_id_fields = ["team", "manager", "invited_by", "accepted_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
    raw_id_fields = ["user"]


@admin.register(AuditEvent)
class AuditEventAdmin(TenantAdmin):
    list_display = ["action", "organization", "actor", "subject", "created_at"]
    list_filter = ["action"]
    raw_id_fields = ["actor", "subject"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
