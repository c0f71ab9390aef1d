"""Creating and disabling tracked links."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from influencers.models import Channel
from partnerships.managers import CLOSED_WITHOUT_DEAL
from partnerships.models import Partnership

from ..models import TrackedLink

# 12 random bytes: 16 URL-safe characters, 96 bits; nobody guesses a live code.
CODE_BYTES = 12


def default_utms(partnership: Partnership, channel: Channel | None) -> dict[str, str]:
    """utm_source = the platform, utm_medium = influencer, utm_campaign = the campaign's
    slug, utm_content = the influencer (and the channel's handle when the link is for one)."""
    if channel is None:
        channel = partnership.influencer.channels.order_by("-is_primary", "pk").first()
    who = slugify(partnership.influencer.name)[:60] or f"influencer-{partnership.influencer_id}"
    content = f"{who}-{slugify(channel.handle)[:30]}" if channel and channel.handle else who
    return {
        "utm_source": channel.platform if channel else "influencer",
        "utm_medium": "influencer",
        "utm_campaign": partnership.campaign.utm_campaign,
        "utm_content": content.strip("-"),
    }


def tracked_link_create(
    *,
    partnership: Partnership,
    destination: str,
    by: User | None,
    channel: Channel | None = None,
    label: str = "",
    utms: dict[str, str] | None = None,
) -> TrackedLink:
    """A new link; UTMs default from the partnership, any given (non-empty) one wins."""
    if partnership.status in CLOSED_WITHOUT_DEAL:
        raise ValidationError(
            _("This partnership ended without a deal: it gets no new tracked links."),
            code="closed",
        )
    chosen = default_utms(partnership, channel)
    chosen.update({k: v for k, v in (utms or {}).items() if v})
    link = TrackedLink(
        partnership=partnership,
        channel=channel,
        destination=destination,
        label=label,
        created_by=by,
        code=secrets.token_urlsafe(CODE_BYTES),
        **chosen,
    )
    link.target_url = link.build_target()
    link.full_clean()
    for _attempt in range(3):  # a clash of 96-bit codes is near impossible; never a 500
        try:
            with transaction.atomic():
                link.save()
            return link
        except IntegrityError:
            link.code = secrets.token_urlsafe(CODE_BYTES)
    raise RuntimeError("could not draw a free tracked-link code")


@transaction.atomic
def tracked_link_disable(*, link: TrackedLink, by: User) -> TrackedLink:
    """Stop redirecting: /r/<code> answers 404 from now on. Clicks so far stay."""
    link = TrackedLink.objects.select_for_update().get(pk=link.pk)
    if link.is_active:
        link.is_active = False
        link.disabled_at = timezone.now()
        link.save(update_fields=["is_active", "disabled_at"])
    return link
