"""Writes to campaigns. Views, the admin and seed data go through these functions so
the friendly UTM error holds on every path, and a campaign and its default terms are
validated and saved together."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .models import TERMS_FIELD_NAMES, Campaign, DefaultTerms

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
def campaign_create(*, by: User, default_terms: dict | None = None, **fields) -> Campaign:
    """A new campaign and its default terms row (the fields' defaults where not given)."""
    campaign = Campaign(**_checked(fields, default_terms))
    if campaign.owner_id is None and by.is_marketer:
        campaign.owner = by
    _save(campaign)
    _save_default_terms(DefaultTerms(campaign=campaign), default_terms or {})
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, by: User, default_terms: dict | None = None, **fields
) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    for name, value in _checked(fields, default_terms).items():
        setattr(campaign, name, value)
    _save(campaign)
    if default_terms is not None:
        _save_default_terms(campaign.terms_or_defaults(), default_terms)
    return campaign


def _checked(fields: dict, default_terms: dict | None) -> dict:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    unknown |= set(default_terms or {}) - set(TERMS_FIELD_NAMES)
    if unknown:
        raise ValueError(f"not campaign fields: {sorted(unknown)}")
    return fields


def _save_default_terms(terms: DefaultTerms, values: dict) -> DefaultTerms:
    for name, value in values.items():
        setattr(terms, name, value)
    terms.full_clean(exclude=["campaign"])
    terms.save()
    return terms


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
