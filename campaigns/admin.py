from django.contrib import admin

from .models import Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "brand",
        "status",
        "starts_on",
        "ends_on",
        "budget",
        "currency",
        "utm_campaign",
        "owner",
    ]
    list_filter = ["status", "currency", "brand"]
    list_select_related = ["owner"]
    search_fields = ["name", "brand", "utm_campaign"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["owner"]
    readonly_fields = ["created_at"]
