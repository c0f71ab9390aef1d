"""Writes to campaigns. Views, the admin and seed data go through these functions so
the friendly UTM error and the default-terms shape hold on every path."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Campaign

CAMPAIGN_FIELDS = (
    "name",
    "brand",
    "goal",
    "key_message",
    "starts_on",
    "ends_on",
    "budget",
    "currency",
    "landing_page_url",
    "utm_campaign",
    "status",
    "owner",
    "default_terms",
)
# The scalar fields of a partnerships TermsVersion that a campaign may preset. Named here
# rather than imported: campaigns sits below partnerships and never imports it.
DEFAULT_TERMS_KEYS = (
    "brief_must_haves",
    "creative_notes",
    "content_approval_required",
    "usage_channels",
    "usage_days",
    "paid_amplification",
    "exclusivity_categories",
    "exclusivity_days",
    "disclosure_rule",
    "payment_net_days",
    "cancellation_terms",
)


def utm_taken_error(slug: str, *, exclude_pk: int | None = None) -> ValidationError | None:
    clash = Campaign.objects.filter(utm_campaign=slug).exclude(pk=exclude_pk).first()
    if clash is None:
        return None
    return ValidationError(
        _("“%(slug)s” is already the UTM campaign of %(campaign)s. Choose another.")
        % {"slug": slug, "campaign": clash},
        code="utm_taken",
    )


@transaction.atomic
def campaign_create(*, by: User, **fields) -> Campaign:
    campaign = Campaign(**_checked(fields))
    if campaign.owner_id is None and by.is_marketer:
        campaign.owner = by
    return _save(campaign)


@transaction.atomic
def campaign_update(*, campaign: Campaign, by: User, **fields) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    for name, value in _checked(fields).items():
        setattr(campaign, name, value)
    return _save(campaign)


def _checked(fields: dict) -> dict:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    unknown |= set(fields.get("default_terms") or {}) - set(DEFAULT_TERMS_KEYS)
    if unknown:
        raise ValueError(f"not campaign fields: {sorted(unknown)}")
    return fields


def _save(campaign: Campaign) -> Campaign:
    error = utm_taken_error(campaign.utm_campaign, exclude_pk=campaign.pk)
    if error is not None:
        raise ValidationError({"utm_campaign": error})
    campaign.full_clean()
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as exc:  # another campaign took the slug a moment ago
        raise ValidationError(
            {"utm_campaign": _("This UTM campaign was just taken. Choose another.")}
        ) from exc
    return campaign
