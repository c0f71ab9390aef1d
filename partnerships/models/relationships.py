"""The relationship log (practices 4 and 6): contacts, meetings, follow-ups, digests."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import LimitedTextField
from common.validators import check_date, today, validate_single_line, validate_text, years_from
from influencers.models import Influencer

from .agreements import Partnership


class Contact(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        DM = "dm", _("Direct message")
        CALL = "call", _("Phone call")
        MEETING = "meeting", _("In-person meeting")
        VIDEO = "video", _("Video call")
        NOTE = "note", _("Note")

    influencer = models.ForeignKey(
        Influencer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("influencer")
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("partnership"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EMAIL)
    happened_at = models.DateTimeField(_("when"), default=timezone.now)
    summary = LimitedTextField(_("summary"), max_length=4000, validators=[validate_text])
    place = models.CharField(
        _("place"), max_length=200, blank=True, validators=[validate_single_line]
    )
    attendees = models.CharField(
        _("attendees"), max_length=300, blank=True, validators=[validate_single_line]
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-happened_at", "-pk"]
        indexes = [models.Index(fields=["influencer", "-happened_at"], name="contact_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.influencer} on {self.happened_at:%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict = {}
        # A contact is something that happened (a day's slack for time zones); what is
        # still to come is a follow-up.
        check_date(
            errors, "happened_at", self.happened_at, latest=today() + datetime.timedelta(days=1)
        )
        if errors:
            raise ValidationError(errors)


class FollowUp(models.Model):
    influencer = models.ForeignKey(
        Influencer,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("influencer"),
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("partnership"),
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    what = models.CharField(_("what"), max_length=300, validators=[validate_single_line])
    due_on = models.DateField(_("due on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("assignee"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["done_at", "due_on", "pk"]
        indexes = [
            models.Index(
                fields=["assignee", "due_on"], condition=Q(done_at=None), name="followup_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.what} ({self.due_on:%Y-%m-%d})"

    def clean(self) -> None:
        errors: dict = {}
        check_date(errors, "due_on", self.due_on, latest=years_from(today(), 5))
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())
