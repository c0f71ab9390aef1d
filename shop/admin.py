"""Read-only: connections are added and orders arrive through the services (the Shops
page, the webhooks, the CSV import), never typed in here. The stored secret is never
shown."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Attribution, Delivery, Order, OrderEvent, ShopConnection


@admin.register(ShopConnection)
class ShopConnectionAdmin(ReadOnlyAdmin):
    list_display = ["name", "provider", "is_active", "created_at"]
    exclude = ["secret_encrypted"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "connection",
        "order_external_id",
        "event",
        "received_at",
        "processed_at",
        "error",
    ]
    list_filter = ["connection", "processed_at"]
    list_select_related = ["connection"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["external_id", "connection", "placed_at", "net_amount", "currency"]
    list_select_related = ["connection"]


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdmin):
    list_display = ["order_external_id", "connection", "kind", "happened_at", "amount"]
    list_select_related = ["connection"]


@admin.register(Attribution)
class AttributionAdmin(ReadOnlyAdmin):
    list_display = ["order", "partnership", "rule", "matched", "attributed_at"]
    list_select_related = ["order", "partnership__campaign", "partnership__influencer"]
