"""How long ago (or until): Django's timesince and timeuntil, with our own separator.

Django joins the parts with the translation of ", ", which Django's compiled Malay
catalogue gives as " ," (so "3 minggu ,2 hari"). The parts themselves are translated
well; only the join is ours, the same ", " in both languages. Templates use
`{% load timespans %}` and `|since` / `|until` instead of `|timesince` / `|timeuntil`.
"""

import datetime

from django import template
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext

register = template.Library()
SEPARATOR = ", "
# Django's own msgid, passed as a name so that makemessages does not copy it into our
# catalogue (where it would override Django's translation everywhere).
DJANGO_SEPARATOR = ", "


def _rejoin(text: str) -> str:
    # Django joined with gettext(", ") in the active language; a part ("3 minggu") holds
    # no comma, so splitting on that same separator gives the parts back.
    return SEPARATOR.join(part.strip() for part in text.split(gettext(DJANGO_SEPARATOR)))


@register.filter
def since(value: datetime.datetime | datetime.date | None, now=None) -> str:
    """ "3 weeks, 2 days" / "3 minggu, 2 hari"; empty for no value, like |timesince."""
    return _rejoin(timesince(value, now)) if value else ""


@register.filter
def until(value: datetime.datetime | datetime.date | None, now=None) -> str:
    return _rejoin(timeuntil(value, now)) if value else ""
