"""Model fields whose form fields read numbers strictly, and a text field whose
`max_length` is enforced.

Python's `Decimal` and `int` accept "1e5", "NaN", "Infinity" and full-width digits
("１２３"), and so do Django's form fields. A money or count input is ASCII digits,
optional thousands separators (commas) and, for decimals, one decimal point; anything
else is "not a number" in the form, the admin and (through `parse_decimal` /
`parse_integer`) the CSV import alike. `formfield()` hands these form fields to every
ModelForm, so no form has to remember.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# re.ASCII: \d is 0-9 only, never full-width or other scripts' digits.
INTEGER_TEXT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\Z", re.ASCII)
DECIMAL_TEXT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?\Z", re.ASCII)
MAX_NUMBER_TEXT = 40


def parse_integer(text) -> int:
    """ "12500" or "12,500" -> 12500; ValueError for anything else ("1e5", "１２３", "")."""
    text = str(text).strip()
    if len(text) > MAX_NUMBER_TEXT or not INTEGER_TEXT.match(text):
        raise ValueError(text)
    return int(text.replace(",", ""))


def parse_decimal(text) -> Decimal:
    """ "1500", "1,500.50", ".5" -> Decimal; ValueError for "1e5", "NaN", "１２３", "1.2.3"."""
    text = str(text).strip()
    if (
        len(text) > MAX_NUMBER_TEXT
        or not DECIMAL_TEXT.match(text)
        or not any(c.isdigit() for c in text)
    ):
        raise ValueError(text)
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(text) from exc


class StrictIntegerFormField(forms.IntegerField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_integer(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class StrictDecimalFormField(forms.DecimalField):
    default_error_messages = {"invalid": _("Enter a number such as 1500 or 1,500.50.")}

    def __init__(self, **kwargs):
        # A text box: type="number" would refuse "1,500.50" in the browser yet still
        # send whatever a script posts; the server decides either way.
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def _bounds(field: models.Field) -> dict:
    """The tightest min/max among a model field's validators, for its form field: a form
    that skips the model's own validation (or a browser, via min/max) still knows them."""
    lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    bounds = {}
    if lows:
        bounds["min_value"] = max(lows)
    if highs:
        bounds["max_value"] = min(highs)
    return bounds


class DecimalField(models.DecimalField):
    def formfield(self, **kwargs):
        # No bounds copied here: ModelForms run the model's validators, and a form may
        # word its own message for a negative amount.
        return super().formfield(**{"form_class": StrictDecimalFormField, **kwargs})


class MoneyField(DecimalField):
    """An amount of money: numeric(12, 2) unless told otherwise."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class StrictIntegerMixin:
    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": StrictIntegerFormField, **_bounds(self), **kwargs}
        )


class PositiveIntegerField(StrictIntegerMixin, models.PositiveIntegerField):
    pass


class PositiveSmallIntegerField(StrictIntegerMixin, models.PositiveSmallIntegerField):
    pass


class LimitedTextField(models.TextField):
    """A TextField whose `max_length` is validated by `full_clean` (Django's own only
    sizes the form's textarea, so the CSV import, the admin's raw paths and services
    could store more)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))
