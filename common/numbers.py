"""`{% load numbers %}`: amounts and counts as people write them in the active language.

Registered as a template library in settings (common is not an app), so every app's
templates can show money the same way: `{{ amount|money:currency }}`.
"""

from decimal import Decimal

from django import template

from . import formatting

register = template.Library()


@register.filter
def money(amount: Decimal | str | None, currency: str = "") -> str:
    """1500 -> "MYR 1,500.00" in English, "RM 1,500.00" in Malay."""
    return formatting.money_text(amount, currency)
