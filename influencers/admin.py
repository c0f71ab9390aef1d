"""The roster in the admin: adds and changes go through `services` (the same handle
normalising, first-stage record and research rules as the app); stage history is
read-only and stages move on the board."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import ServiceWriteAdmin, adopt, record_formset

from . import services
from .forms import ChannelHandleMixin
from .models import Channel, Influencer, ResearchCheck, StageChange


class ChannelAdminForm(ChannelHandleMixin, forms.ModelForm):
    """The app's handle check; `channel_add`/`channel_update` normalise and save."""

    class Meta:
        model = Channel
        fields = ["influencer", "platform", "handle", "account_id", "followers", "is_primary"]


class ChannelInline(admin.TabularInline):
    model = Channel
    form = ChannelAdminForm
    extra = 0
    # The services date the follower count and build the profile link.
    readonly_fields = ["profile_url", "followers_as_of", "followers_source"]


def save_channel(form, *, influencer: Influencer) -> None:
    data = form.cleaned_data
    fields = {name: data.get(name) for name in ("platform", "handle", "followers")}
    fields |= {
        "account_id": data.get("account_id") or "",
        "is_primary": bool(data.get("is_primary")),
    }
    if form.instance.pk is None:
        adopt(form.instance, services.channel_add(influencer=influencer, **fields))
    else:
        channel = Channel.objects.select_related("influencer").get(pk=form.instance.pk)
        services.channel_update(channel=channel, **fields)


class ResearchCheckInline(admin.TabularInline):
    model = ResearchCheck
    extra = 0
    fields = ["item", "done", "note", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]
    can_delete = False


@admin.register(Influencer)
class InfluencerAdmin(ServiceWriteAdmin):
    list_display = ["name", "stage", "owner", "country", "email", "created_at"]
    list_filter = ["stage", "owner", "country"]
    list_select_related = ["owner"]
    search_fields = ["name", "email", "channels__handle"]
    autocomplete_fields = ["owner", "user"]
    # Stage moves go through the board so every change lands in the stage history.
    readonly_fields = ["stage", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "user"]  # linked through the portal invitation
        return self.readonly_fields

    inlines = [ChannelInline, ResearchCheckInline]
    fieldsets = (
        (None, {"fields": ("name", "email", "phone", "country", "city", "owner", "user")}),
        (_("Profile"), {"fields": ("languages", "niches", "bio", "internal_notes")}),
        (
            _("Pipeline"),
            {
                "fields": ("stage", "created_at", "updated_at"),
                "description": _(
                    "Move influencers between stages on the board, so the change is "
                    "recorded in their stage history."
                ),
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.INFLUENCER_FIELDS}
        if change:
            services.influencer_update(influencer=obj, by=request.user, **fields)
        else:
            user = form.cleaned_data.get("user")
            adopt(obj, services.influencer_create(by=request.user, user=user, **fields))

    def save_formset(self, request, form, formset, change):
        influencer = form.instance
        if formset.model is Channel:
            for deleted in formset.deleted_forms:
                if deleted.instance.pk is not None:
                    services.channel_remove(channel=deleted.instance)
            for channel_form in formset.forms:
                kept = channel_form.has_changed() and channel_form not in formset.deleted_forms
                if kept:
                    save_channel(channel_form, influencer=influencer)
        else:
            answers = {
                f.cleaned_data["item"]: (f.cleaned_data["done"], f.cleaned_data["note"])
                for f in formset.forms
                if f.has_changed()
            }
            services.research_update(influencer=influencer, by=request.user, answers=answers)
        record_formset(formset)


@admin.register(Channel)
class ChannelAdmin(ServiceWriteAdmin):
    form = ChannelAdminForm
    list_display = [
        "influencer",
        "platform",
        "handle",
        "followers",
        "followers_as_of",
        "followers_source",
        "is_primary",
    ]
    list_filter = ["platform", "followers_source"]
    list_select_related = ["influencer"]
    search_fields = ["handle", "influencer__name"]
    autocomplete_fields = ["influencer"]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["profile_url", "followers_as_of", "followers_source", "created_at"]
        return [*readonly, "influencer"] if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        save_channel(form, influencer=form.cleaned_data.get("influencer") or obj.influencer)

    def delete_model(self, request, obj):
        services.channel_remove(channel=obj)


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    """The recorded history: read it here, write it by moving cards on the board."""

    list_display = ["influencer", "from_stage", "to_stage", "changed_by", "changed_at"]
    list_filter = ["to_stage"]
    list_select_related = ["influencer", "changed_by"]
    search_fields = ["influencer__name"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ResearchCheck)
class ResearchCheckAdmin(ServiceWriteAdmin):
    list_display = ["influencer", "item", "done", "updated_by", "updated_at"]
    list_filter = ["item", "done"]
    list_select_related = ["influencer", "updated_by"]
    search_fields = ["influencer__name", "note"]
    autocomplete_fields = ["influencer"]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["updated_by", "updated_at"]
        return [*readonly, "influencer", "item"] if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        services.research_update(
            influencer=obj.influencer, by=request.user, answers={obj.item: (obj.done, obj.note)}
        )
        adopt(obj, ResearchCheck.objects.get(influencer=obj.influencer, item=obj.item))
