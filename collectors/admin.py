"""Read-only: connections are set up on the Data sources page (services), and the
credential is never shown, not even encrypted."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Connection, PullAttempt


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
