from django.contrib import admin

from .models import Connection, PullAttempt


class ReadOnlyAdmin(admin.ModelAdmin):
    """A window only: connections are set up on the Data sources page (services), and
    the credential is never shown, not even encrypted."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Connection)
class ConnectionAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "provider",
        "state",
        "last_success_at",
        "next_run_at",
        "records_written",
    ]
    list_filter = ["provider", "state"]
    search_fields = ["name", "site_id"]
    list_select_related = ["channel", "campaign", "owner"]
    fields = [
        "name", "provider", "channel", "site_id", "campaign", "account_id", "base_url",
        "credential_masked", "token_expires_at", "refresh_expires_at", "scopes",
        "owner", "state", "state_until", "failures", "last_success_at",
        "last_pulled_at", "next_run_at", "last_error", "last_error_at", "records_written",
        "created_by", "created_at",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="credential")
    def credential_masked(self, obj: Connection) -> str:
        return obj.credential_masked


@admin.register(PullAttempt)
class PullAttemptAdmin(ReadOnlyAdmin):
    list_display = ["connection", "started_at", "outcome", "records", "error"]
    list_filter = ["outcome"]
    list_select_related = ["connection"]
