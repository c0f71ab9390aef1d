"""Admin for partnerships: a window onto the records, with writes kept to the services.

Partnerships, shipments and payments are added through their services (`save_model`
calls them); a partnership's owner and a shipment change go through services too.
A draft's terms fields are saved through `terms_save`; its rows, proposed versions,
acceptances and recorded payments are read-only here (proposed versions are frozen by
the database as well). History "revert" is off: it would write old values
past those rules.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import TERMS_FIELD_NAMES
from common.admin import ServiceWriteAdmin, adopt

from . import services
from .delivery import shipments
from .delivery.forms import review_url_field
from .models import (
    Acceptance,
    CompensationLine,
    Deliverable,
    KpiTarget,
    Partnership,
    Payment,
    Shipment,
    TermsVersion,
)
from .terms import services as terms_services


class HistoryAdmin(ServiceWriteAdmin, SimpleHistoryAdmin):
    """Shows the history; refuses to revert to an old row."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Partnerships ---------------------------------------------------------------------


class VersionInline(ReadOnlyInline):
    model = TermsVersion
    fields = ["number", "created_at", "proposed_at", "sha256"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Partnership)
class PartnershipAdmin(HistoryAdmin):
    list_display = ["influencer", "campaign", "status", "owner", "created_at"]
    list_filter = ["status", "campaign"]
    list_select_related = ["influencer", "campaign", "owner"]
    search_fields = ["influencer__name", "campaign__name"]
    raw_id_fields = ["campaign", "influencer", "renewed_from"]
    autocomplete_fields = ["owner"]
    date_hierarchy = "created_at"
    inlines = [VersionInline]

    def get_readonly_fields(self, request, obj=None):
        # The status moves only through the services: proposing, accepting, transitions.
        readonly = ["status", "status_changed_at", "created_at", "renewed_from"]
        if obj is not None:
            # The terms name this influencer's channels and this campaign's brand.
            readonly += ["campaign", "influencer"]
        return readonly

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.versions.exclude(proposed_at=None).exists():
            return False  # what was proposed to an influencer stays on record
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            services.partnership_set_owner(partnership=obj, owner=obj.owner, by=request.user)
            return
        # New partnerships go through the service so they start with version 1 of the terms.
        created = services.partnership_create(
            campaign=obj.campaign, influencer=obj.influencer, by=request.user, owner=obj.owner
        )
        adopt(obj, created)


# --- Terms ----------------------------------------------------------------------------


class DeliverableInline(ReadOnlyInline):
    model = Deliverable
    fields = ["channel", "format", "quantity", "due_on", "requirements"]
    readonly_fields = fields


class CompensationInline(ReadOnlyInline):
    model = CompensationLine
    fields = [
        "kind",
        "description",
        "amount",
        "currency",
        "quantity",
        "cost_of_goods",
        "retail_value",
        "commission_percent",
        "discount_code",
    ]
    readonly_fields = fields


class KpiInline(ReadOnlyInline):
    model = KpiTarget
    fields = ["metric", "target", "bonus_tiers"]
    readonly_fields = fields


DELIVERABLE_ROW = ["channel", "format", "quantity", "due_on", "requirements"]
COMPENSATION_ROW = CompensationInline.fields
KPI_ROW = ["metric", "target", "bonus_tiers"]


def _rows(items, names) -> list[dict]:
    return [{name: getattr(item, name) for name in names} for item in items]


@admin.register(TermsVersion)
class TermsVersionAdmin(HistoryAdmin):
    """A draft's terms fields may be touched up here, saved by `terms_save` (which locks
    the partnership and checks the draft) with its rows unchanged; once proposed a
    version is a record, read-only (and frozen by the database)."""

    list_display = ["partnership", "number", "created_at", "proposed_at", "accepted"]
    list_filter = [("proposed_at", admin.EmptyFieldListFilter)]
    list_select_related = [
        "partnership__influencer",
        "partnership__campaign",
        "acceptance",
    ]
    search_fields = ["partnership__influencer__name", "partnership__campaign__name"]
    inlines = [DeliverableInline, CompensationInline, KpiInline]
    SERVICE_FIELDS = [
        "partnership",
        "number",
        "created_by",
        "created_at",
        "proposed_at",
        "proposed_by",
        "sha256",
    ]

    @admin.display(boolean=True, description=_("accepted"))
    def accepted(self, obj: TermsVersion) -> bool:
        return getattr(obj, "acceptance", None) is not None

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return [field.name for field in TermsVersion._meta.fields]
        return self.SERVICE_FIELDS

    def has_add_permission(self, request):
        return False  # versions are opened from the partnership's terms page

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None or not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        version = TermsVersion.objects.select_related("partnership").get(pk=obj.pk)
        data = terms_services.TermsInput(
            fields={name: form.cleaned_data[name] for name in TERMS_FIELD_NAMES},
            deliverables=_rows(version.deliverables.select_related("channel"), DELIVERABLE_ROW),
            compensation=_rows(version.compensation.all(), COMPENSATION_ROW),
            kpis=_rows(version.kpis.all(), KPI_ROW),
        )
        adopt(obj, terms_services.terms_save(version=version, by=request.user, data=data))


@admin.register(Acceptance)
class AcceptanceAdmin(admin.ModelAdmin):
    """The influencer's signature on one exact version: read it, never change it."""

    list_display = ["version", "accepted_by", "accepted_at", "ip_address"]
    list_select_related = [
        "version__partnership__influencer",
        "version__partnership__campaign",
        "accepted_by",
    ]
    search_fields = ["partnership__influencer__name", "accepted_by__email", "sha256"]
    date_hierarchy = "accepted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Shipments and payments -----------------------------------------------------------


class ShipmentAdminForm(forms.ModelForm):
    review_url = review_url_field()


@admin.register(Shipment)
class ShipmentAdmin(HistoryAdmin):
    form = ShipmentAdminForm
    list_display = [
        "item",
        "partnership",
        "quantity",
        "status",
        "sent_on",
        "delivered_on",
        "value",
        "shipping_cost",
        "currency",
    ]
    list_filter = ["status", "carrier"]
    list_select_related = ["partnership__influencer", "partnership__campaign"]
    search_fields = ["item", "tracking_number", "partnership__influencer__name"]
    autocomplete_fields = ["partnership"]

    def get_readonly_fields(self, request, obj=None):
        return ["created_at", "partnership"] if obj is not None else ["created_at"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in shipments.SHIPMENT_FIELDS}
        if change:
            shipments.shipment_update(shipment=obj, by=request.user, **fields)
        else:
            created = shipments.shipment_create(
                partnership=obj.partnership, by=request.user, **fields
            )
            adopt(obj, created)


@admin.register(Payment)
class PaymentAdmin(HistoryAdmin):
    list_display = ["partnership", "kind", "amount", "currency", "paid_on", "note"]
    list_filter = ["kind", "currency"]
    list_select_related = ["partnership__influencer", "partnership__campaign"]
    search_fields = ["partnership__influencer__name", "note"]
    autocomplete_fields = ["partnership"]
    date_hierarchy = "paid_on"

    def has_change_permission(self, request, obj=None):
        return False  # money paid is a record; there is no service that rewrites it

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in ("kind", "amount", "currency")}
        created = shipments.payment_record(
            partnership=obj.partnership,
            by=request.user,
            paid_on=form.cleaned_data["paid_on"],
            note=form.cleaned_data["note"],
            **fields,
        )
        adopt(obj, created)
