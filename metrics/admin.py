from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import (
    Click,
    MetricRecord,
    Post,
    SchedulerHeartbeat,
    Settlement,
    SettlementLine,
    TrackedLink,
)


@admin.register(SchedulerHeartbeat)
class SchedulerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "ticked_at"]
    readonly_fields = ["name", "ticked_at"]


# Read-only from here on: links and posts are made on the partnership page and the
# portal (services), clicks by /r/<code>, records by `records_upsert`.
@admin.register(TrackedLink)
class TrackedLinkAdmin(ReadOnlyAdmin):
    list_display = ["code", "partnership", "label", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["code", "label", "partnership__influencer__name"]
    list_select_related = ["partnership__campaign", "partnership__influencer"]


@admin.register(Click)
class ClickAdmin(ReadOnlyAdmin):
    list_display = ["link", "at", "kind"]
    list_filter = ["kind"]
    list_select_related = ["link"]
    show_full_result_count = False


@admin.register(MetricRecord)
class MetricRecordAdmin(ReadOnlyAdmin):
    list_display = ["metric", "bucket_start", "granularity", "value", "source", "estimated"]
    list_filter = ["metric", "source", "granularity", "estimated"]
    show_full_result_count = False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["url", "platform", "platform_post_id", "origin", "partnership", "published_at"]
    list_filter = ["platform", "origin"]
    search_fields = ["url", "platform_post_id", "partnership__influencer__name"]
    list_select_related = ["partnership__campaign", "partnership__influencer"]


class SettlementLineInline(admin.TabularInline):
    model = SettlementLine
    fields = ["position", "kind", "description", "basis", "amount", "currency", "in_cash"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    """Frozen by `settlement_freeze` on the partnership page; never changed (triggers)."""

    list_display = ["reference", "payee", "partnership", "frozen_by", "frozen_at"]
    search_fields = ["reference", "payee"]
    list_select_related = ["partnership__campaign", "partnership__influencer", "frozen_by"]
    inlines = [SettlementLineInline]
