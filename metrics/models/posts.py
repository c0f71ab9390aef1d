"""Published posts: the pieces an influencer put out, as subjects of metric records.

A post comes from a hand-in on the portal (approved or not: the numbers start counting
when it is live, whatever the review says) or is added by a marketer by hand. Its
platform and the platform's own post id are parsed from the link, so the collectors can
match what a platform reports to it. Caption, publish time and thumbnail are filled in
by the collectors when they first see the post.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import LimitedTextField
from common.validators import validate_single_line
from influencers.handles import post_id_from_url
from influencers.models import Channel, Platform
from partnerships.models import Partnership, Submission

MAX_CAPTION_LENGTH = 5000


class Post(models.Model):
    class Origin(models.TextChoices):
        HAND_IN = "hand_in", _("Handed in on the portal")
        MARKETER = "marketer", _("Added by a marketer")
        COLLECTOR = "collector", _("Found by a collector")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="posts")
    submission = models.OneToOneField(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="post"
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    platform_post_id = models.CharField(
        _("post id on the platform"),
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Read from the link; empty when the link does not carry one."),
    )
    url = models.URLField(_("post link"), max_length=500)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    caption = LimitedTextField(_("caption"), max_length=MAX_CAPTION_LENGTH, blank=True)
    permalink = models.URLField(_("permalink"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    paid_label = models.BooleanField(
        _("paid-partnership label"),
        null=True,
        blank=True,
        help_text=_(
            "Whether the platform shows its paid-partnership label on the post; empty "
            "where the platform does not tell (only YouTube does, to the video's owner)."
        ),
    )
    thumbnail = models.FileField(_("thumbnail"), upload_to="posts/%Y/%m/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("published post")
        verbose_name_plural = _("published posts")
        ordering = ["partnership", "-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "url"], name="post_one_per_link"),
            models.UniqueConstraint(
                fields=["partnership", "platform", "platform_post_id"],
                condition=~Q(platform_post_id=""),
                name="post_one_per_platform_id",
            ),
            models.CheckConstraint(
                condition=Q(platform__in=Platform.values), name="post_known_platform"
            ),
        ]
        indexes = [
            models.Index(
                fields=["platform", "platform_post_id"],
                condition=~Q(platform_post_id=""),
                name="post_platform_id_idx",
            )
        ]

    def __str__(self) -> str:
        return self.url

    def clean(self) -> None:
        if (
            self.channel_id
            and self.partnership_id
            and self.channel.influencer_id != self.partnership.influencer_id
        ):
            raise ValidationError(
                {"channel": _("The channel must be one of this influencer's channels.")}
            )
        if self.url and not self.platform_post_id:
            self.platform_post_id = post_id_from_url(self.platform, self.url)
