from django.contrib import admin

from .models import Identity


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    """Staff can see and remove links (removing one makes the next login link again)."""

    list_display = ("user", "provider", "email", "linked_at", "last_login_at")
    list_filter = ("provider",)
    search_fields = ("user__email", "email")
    readonly_fields = (
        "user",
        "provider",
        "issuer",
        "subject",
        "email",
        "linked_at",
        "last_login_at",
    )

    def has_add_permission(self, request: object) -> bool:
        return False
