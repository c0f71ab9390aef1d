import secrets

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import validate_single_line

from .managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who logs in: marketers (admin, manager, viewer) and influencers.

    The email address is the login. Influencers only ever see the portal.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MANAGER = "manager", _("Manager")
        VIEWER = "viewer", _("Viewer (read-only)")
        INFLUENCER = "influencer", _("Influencer")

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(
        _("full name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Kuala_Lumpur",
        validators=[validate_single_line],
    )
    digest_enabled = models.BooleanField(
        _("daily digest"), default=True, help_text=_("Email me my day every morning.")
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("digest hour"),
        default=8,
        validators=[MaxValueValidator(23)],
        help_text=_("Local hour (0–23) at which the digest is sent."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log into the admin site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            # Influencers never get into the admin site.
            models.CheckConstraint(
                condition=~models.Q(role="influencer", is_staff=True),
                name="user_influencer_not_staff",
            ),
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="user_digest_hour_bounded"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    @property
    def is_influencer(self) -> bool:
        return self.role == self.Role.INFLUENCER

    @property
    def is_marketer(self) -> bool:
        return self.is_active and self.role != self.Role.INFLUENCER

    @property
    def can_edit(self) -> bool:
        """Marketers who may change data: admins and managers."""
        return self.is_active and self.role in (self.Role.ADMIN, self.Role.MANAGER)


def new_nonce() -> str:
    return secrets.token_hex(16)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Invitations whose link may still be used (expiry aside)."""
        return self.filter(used_at=None, revoked_at=None)


class Invitation(models.Model):
    """One emailed link that lets a person set their first password.

    The link itself is never stored: it is signed from the id and the nonce
    whenever it is needed, so a leaked table does not leak working links.
    """

    class State(models.TextChoices):
        NOT_INVITED = "not_invited", _("Not invited")
        INVITED = "invited", _("Invited")
        EXPIRED = "expired", _("Expired")
        JOINED = "joined", _("Joined")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitations"
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    nonce = models.CharField(_("nonce"), max_length=32, default=new_nonce, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Resending revokes the older link, so at most one link per person works.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(used_at=None, revoked_at=None),
                name="invitation_one_open_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=models.Q(used_at=None) | models.Q(revoked_at=None),
                name="invitation_not_used_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        """Where the invited person stands, judged from their latest invitation."""
        if self.user.has_usable_password() and (self.used_at or self.user.last_login):
            return self.State.JOINED
        if self.is_usable:
            return self.State.INVITED
        return self.State.EXPIRED


class OutgoingEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at=None, failed_at=None)

    def due(self, now):
        return self.pending().filter(send_after__lte=now)

    def claimable(self, now, stale_before):
        """Due rows nobody holds, or whose holder went quiet (a killed worker)."""
        return self.due(now).filter(
            models.Q(claimed_at=None) | models.Q(claimed_at__lt=stale_before)
        )

    def failed(self):
        return self.exclude(failed_at=None)

    def sent(self):
        return self.exclude(sent_at=None)


class OutgoingEmail(models.Model):
    """The transactional outbox: one row per email that must go out exactly once.

    The row is written in the same transaction as the change it announces, so the
    email exists exactly when the change does. Delivery claims it with a conditional
    UPDATE (accounts.outbox.deliver); a sweeper re-nudges rows whose claim went stale.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True, default="")
    body = models.TextField(_("body"), blank=True, default="")
    recipients = ArrayField(
        models.EmailField(max_length=254), verbose_name=_("recipients"), default=list, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    send_after = models.DateTimeField(_("not before"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sent_at=None) | models.Q(failed_at=None),
                name="outgoing_email_sent_or_failed",
            ),
            models.CheckConstraint(
                condition=models.Q(failed_at=None) | ~models.Q(last_error=""),
                name="outgoing_email_failed_has_error",
            ),
        ]
        indexes = [
            models.Index(
                fields=["send_after"],
                condition=models.Q(sent_at=None, failed_at=None),
                name="outgoing_email_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        return "failed" if self.failed_at else "pending"


class PasswordResetRequest(models.Model):
    """Each password reset asked for: the throttle counts these (in Postgres, not the
    cache, so it holds when Redis is down)."""

    email = models.EmailField(_("email address"))
    client_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [
            models.Index(Lower("email"), "requested_at", name="password_reset_email_idx"),
            models.Index(fields=["client_ip", "requested_at"], name="password_reset_ip_idx"),
        ]

    def __str__(self) -> str:
        return self.email


class SubmitToken(models.Model):
    """A create form's one-time token, stored when the form's write commits.

    The row is inserted in the same transaction as what the form creates, so a second
    POST of the same form (a double click, a retried request) finds it, or waits on its
    unique index until the first commits, and creates nothing. See accounts.submit_once.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(_("created"), max_length=500, blank=True)
    used_at = models.DateTimeField(_("used"), default=timezone.now)

    class Meta:
        verbose_name = _("submit token")
        verbose_name_plural = _("submit tokens")
        indexes = [models.Index(fields=["used_at"], name="submit_token_used_at")]

    def __str__(self) -> str:
        return self.token
