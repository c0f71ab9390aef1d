from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import invitations, outbox
from .forms import UserChangeForm, UserCreationForm
from .models import Invitation, OutgoingEmail, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    actions = ["revoke_invitations"]

    @admin.action(description=_("Revoke open portal invitations"))
    def revoke_invitations(self, request, queryset):
        revoked = sum(invitations.invitations_revoke(user=user) for user in queryset)
        self.message_user(request, _("%(n)s invitation link(s) revoked.") % {"n": revoked})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A switched-off login must not come back through an old invitation link.
        if change and "is_active" in form.changed_data and not obj.is_active:
            invitations.invitations_revoke(user=obj)

    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "is_staff", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "role", "time_zone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),
    )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are issued from an influencer's profile, never edited.

    Deleting stays with the usual permission, or deleting a user in the admin
    would be refused for the invitations it cascades to.
    """

    list_display = ["user", "created_by", "created_at", "expires_at", "used_at", "revoked_at"]
    list_select_related = ["user", "created_by"]
    list_filter = ["created_at", "used_at"]
    search_fields = ["user__email", "user__full_name"]
    date_hierarchy = "created_at"
    # The nonce stays out of sight: with the secret key it would rebuild the link.
    fields = ["user", "created_by", "created_at", "expires_at", "used_at", "revoked_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OutgoingEmailStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("pending", _("Pending")), ("sent", _("Sent")), ("failed", _("Failed"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "pending":
            return queryset.pending()
        if value == "sent":
            return queryset.sent()
        if value == "failed":
            return queryset.failed()
        return queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what went out, what waits, what failed and why.

    A failed email is sent again through the outbox (accounts.outbox.email_send_again),
    never by editing the row."""

    list_display = [
        "key",
        "subject",
        "recipient_list",
        "status_label",
        "created_at",
        "send_after",
        "sent_at",
        "attempts",
        "last_error",
    ]
    list_filter = [OutgoingEmailStatusFilter, "created_at"]
    search_fields = ["key", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [
        "key",
        "subject",
        "body",
        "recipients",
        "created_at",
        "send_after",
        "claimed_at",
        "sent_at",
        "attempts",
        "last_error",
        "failed_at",
    ]
    fields = readonly_fields

    @admin.display(description=_("recipients"))
    def recipient_list(self, obj: OutgoingEmail) -> str:
        return ", ".join(obj.recipients)

    @admin.display(description=_("status"))
    def status_label(self, obj: OutgoingEmail) -> str:
        return {"sent": _("Sent"), "failed": _("Failed"), "pending": _("Pending")}[obj.status]

    @admin.action(description=_("Send again (failed emails only)"))
    def send_again(self, request, queryset):
        again = sum(outbox.email_send_again(email=email) for email in queryset)
        skipped = queryset.count() - again
        self.message_user(request, _("%(n)s email(s) will be sent again.") % {"n": again})
        if skipped:
            self.message_user(
                request,
                _("%(n)s email(s) had not failed and were left alone.") % {"n": skipped},
                messages.WARNING,
            )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
