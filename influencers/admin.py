from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import handles, services
from .models import Channel, Influencer, ResearchCheck, StageChange


class ChannelAdminForm(forms.ModelForm):
    """Normalises the handle like the app does, so two spellings of one account cannot
    slip past the (platform, handle) unique constraint."""

    class Meta:
        model = Channel
        fields = [
            "influencer",
            "platform",
            "handle",
            "account_id",
            "followers",
            "followers_as_of",
            "followers_source",
            "is_primary",
        ]

    def clean(self):
        cleaned = super().clean()
        platform, handle = cleaned.get("platform"), cleaned.get("handle")
        if platform and handle:
            try:
                normalised = handles.normalise(platform, handle)
            except forms.ValidationError as exc:
                self.add_error("handle", exc)
            else:
                cleaned["handle"] = normalised.handle
                self.instance.profile_url = normalised.url
        return cleaned


class ChannelInline(admin.TabularInline):
    model = Channel
    form = ChannelAdminForm
    extra = 0
    readonly_fields = ["profile_url"]


class ResearchCheckInline(admin.TabularInline):
    model = ResearchCheck
    extra = 0
    fields = ["item", "done", "note", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(Influencer)
class InfluencerAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "owner", "country", "email", "created_at"]
    list_filter = ["stage", "owner", "country"]
    list_select_related = ["owner"]
    search_fields = ["name", "email", "channels__handle"]
    autocomplete_fields = ["owner", "user"]
    # Stage moves go through the board so every change lands in the stage history.
    readonly_fields = ["stage", "created_at", "updated_at"]
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
        if change:
            super().save_model(request, obj, form, change)
            return
        # New influencers go through the service so their first stage is recorded too.
        fields = {name: getattr(obj, name) for name in services.INFLUENCER_FIELDS}
        created = services.influencer_create(by=request.user, user=obj.user, **fields)
        obj.pk, obj.created_at, obj.updated_at = created.pk, created.created_at, created.updated_at
        obj.owner, obj.stage = created.owner, created.stage
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ResearchCheck):
                instance.updated_by = request.user
            instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
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
    readonly_fields = ["profile_url", "created_at"]


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
class ResearchCheckAdmin(admin.ModelAdmin):
    list_display = ["influencer", "item", "done", "updated_by", "updated_at"]
    list_filter = ["item", "done"]
    list_select_related = ["influencer", "updated_by"]
    search_fields = ["influencer__name", "note"]
    autocomplete_fields = ["influencer"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
