"""Campaigns in the admin: adds and changes go through `services`, with the campaign's
default terms edited inline and saved in the same transaction."""

from django.contrib import admin

from common.admin import ServiceWriteAdmin, adopt, record_formset

from . import services
from .forms import DefaultTermsForm
from .models import TERMS_FIELD_NAMES, Campaign, DefaultTerms


class DefaultTermsInline(admin.StackedInline):
    model = DefaultTerms
    form = DefaultTermsForm
    fields = list(TERMS_FIELD_NAMES)
    extra = 1
    max_num = 1
    can_delete = False


@admin.register(Campaign)
class CampaignAdmin(ServiceWriteAdmin):
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
    inlines = [DefaultTermsInline]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.CAMPAIGN_FIELDS}
        if change:
            services.campaign_update(campaign=obj, by=request.user, **fields)
        else:
            adopt(obj, services.campaign_create(by=request.user, **fields))

    def save_formset(self, request, form, formset, change):
        (terms_form,) = formset.forms
        values = {k: v for k, v in terms_form.cleaned_data.items() if k in TERMS_FIELD_NAMES}
        campaign = services.campaign_update(
            campaign=form.instance, by=request.user, default_terms=values
        )
        terms_form.instance = campaign.default_terms
        record_formset(formset)
