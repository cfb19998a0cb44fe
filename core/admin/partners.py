"""Partner API keys in the admin: issued (shown once), revoked, never deleted."""

from __future__ import annotations

from django.contrib import admin, messages

from core.models import PartnerKey
from core.partners import issue_partner_key, revoke_partner_keys


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin):
    """Editors issue keys (the raw key is shown once; only its hash is kept) and revoke them.

    A key reads only until an editor ticks "may submit side sessions".
    """

    list_display = (
        "name",
        "organisation",
        "prefix",
        "created_at",
        "created_by",
        "can_submit",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "active",
    )
    list_select_related = ("organisation", "created_by")
    list_filter = ("can_submit", "revoked_at", "expires_at")
    search_fields = ("name", "prefix", "organisation__name")
    date_hierarchy = "created_at"
    autocomplete_fields = ("organisation",)
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("organisation", "name", "can_submit", "expires_at")
        return (
            "organisation",
            "name",
            "prefix",
            "can_submit",
            "expires_at",
            "created_at",
            "created_by",
            "revoked_at",
            "last_used_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("organisation", "prefix", "created_at", "created_by", "revoked_at", "last_used_at")

    def has_delete_permission(self, request, obj=None):
        # Keys are revoked, not deleted, so that the record of who held one stays.
        return False

    @admin.display(description="active", boolean=True)
    def active(self, obj: PartnerKey) -> bool:
        return obj.is_active

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, raw = issue_partner_key(
            organisation=obj.organisation,
            name=obj.name,
            created_by=request.user,
            expires_at=obj.expires_at,
            can_submit=obj.can_submit,
        )
        # The admin carries on with ``obj`` (log entry, redirect): make it the saved key.
        obj.__dict__.update({k: v for k, v in key.__dict__.items() if k != "_state"})
        obj._state.adding = False
        obj._state.db = key._state.db
        messages.warning(
            request,
            f"The key for {key.organisation} is {raw} — copy it now and give it to the partner; "
            "it is stored only as a hash and cannot be shown again.",
        )

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke(self, request, queryset):
        count = revoke_partner_keys(keys=queryset)
        self.message_user(request, f"{count} key(s) revoked.", messages.SUCCESS)
