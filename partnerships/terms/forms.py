"""Forms for editing a terms version: the scalar terms plus three row formsets.

The forms only check shape (numbers, dates, a row that makes sense on its own).
Whether the terms may change at all, and the channel-owner rule, are enforced
again by `services.terms_save`.
"""

import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from campaigns.forms import LinesField, TermsFieldsForm
from campaigns.models import currency_validator
from influencers.models import Channel

from ..models import CompensationLine, Format, KpiTarget, TermsVersion
from ..models.agreements import validate_bonus_tiers
from .content import SCALAR_FIELDS, money
from .services import TermsInput

# Past this many must-haves the brief starts to read like a script (practice 2).
MUST_HAVES_COMFORTABLE = 5
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}
MUST_HAVES_WARNING = _("A long list of must-haves leaves little room for the creator's own voice.")


class TermsForm(TermsFieldsForm):
    brief_must_haves = LinesField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Must-haves"),
        required=False,
        help_text=_(
            "One per line. Only what every piece must include: key message, disclosure, link."
        ),
    )

    class Meta(TermsFieldsForm.Meta):
        model = TermsVersion
        widgets = {
            "creative_notes": forms.Textarea(attrs={"rows": 4}),
            "cancellation_terms": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "content_approval_required": _(
                "Off on purpose: creators know their audience best. Turn it on only if every "
                "piece really must be checked by you before it goes live."
            ),
        }

    def must_have_count(self) -> int:
        value = self["brief_must_haves"].value()
        if isinstance(value, str):
            return len([line for line in value.splitlines() if line.strip()])
        return len(value or [])


def _row_helper(*columns: tuple[str, str]) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        Row(*[Column(name, css_class=css) for name, css in columns], css_class="g-2")
    )
    return helper


class DeliverableForm(forms.Form):
    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.none())
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.POST)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000, initial=1)
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    requirements = forms.CharField(
        label=_("Requirements"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, channels, channel_choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["channel"]
        field.queryset = channels
        # Every row shows the same options: render them from one list, not one query a row.
        field.choices = channel_choices
        if len(channel_choices) == 2:  # the empty label and a single channel
            field.initial = channel_choices[1][0]
        self.helper = _row_helper(
            ("channel", "col-md-4"),
            ("format", "col-md-3"),
            ("quantity", "col-md-2"),
            ("due_on", "col-md-3"),
            ("requirements", "col-md-10"),
            ("DELETE", "col-md-2 align-self-center"),
        )


class CompensationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CompensationLine.Kind.choices, initial=CompensationLine.Kind.CASH
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = forms.DecimalField(label=_("Amount"), required=False, **MONEY)
    currency = forms.CharField(
        label=_("Currency"), min_length=3, max_length=3, validators=[currency_validator]
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1, required=False)
    cost_of_goods = forms.DecimalField(label=_("Cost of goods (each)"), required=False, **MONEY)
    retail_value = forms.DecimalField(label=_("Retail value (each)"), required=False, **MONEY)
    commission_percent = forms.DecimalField(
        label=_("Commission %"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    discount_code = forms.CharField(label=_("Discount code"), max_length=60, required=False)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].initial = currency
        self.helper = _row_helper(
            ("kind", "col-md-3"),
            ("description", "col-md-6"),
            ("quantity", "col-md-3"),
            ("amount", "col-md-3"),
            ("currency", "col-md-2"),
            ("cost_of_goods", "col-md-3"),
            ("retail_value", "col-md-4"),
            ("commission_percent", "col-md-3"),
            ("discount_code", "col-md-4"),
            ("DELETE", "col-md-2 align-self-center"),
        )

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

    def clean(self):
        cleaned = super().clean()
        if "kind" in cleaned:
            fields = {name: cleaned.get(name) for name in self.fields if name != "DELETE"}
            add_row_errors(
                self, CompensationLine(**{**fields, "description": fields["description"] or ""})
            )
        return cleaned


def add_row_errors(form: forms.Form, row) -> None:
    """The model's own single-row rules (`clean()`), shown next to the fields they are
    about; a field that already failed its own check keeps just that error."""
    try:
        row.clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in form.errors:
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)


TIER = re.compile(r"^(\d+)\s*=\s*(\d+(?:\.\d{1,2})?)$")
TIER_EXAMPLE = "3000=300, 5000=600"


class BonusTiersField(forms.CharField):
    """ "3000=300, 5000=600" in the form; [{"threshold": 3000, "amount": "300.00"}] stored."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(f"{tier['threshold']}={tier['amount']}" for tier in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        tiers = []
        for part in re.split(r"[,;\n]", value):
            part = part.strip()
            if not part:
                continue
            match = TIER.match(part)
            if not match:
                raise ValidationError(
                    _("“%(part)s” is not a tier. Write each as threshold=amount, e.g. %(example)s.")
                    % {"part": part, "example": TIER_EXAMPLE}
                )
            amount = Decimal(match[2])
            if amount <= 0:
                raise ValidationError(
                    _("The bonus at %(threshold)s must be more than zero.")
                    % {"threshold": match[1]}
                )
            tiers.append({"threshold": int(match[1]), "amount": money(amount)})
        return tiers

    def has_changed(self, initial, data):
        # Compare parsed tiers: an empty box is no change, even though "" != [].
        try:
            return self.to_python(self.prepare_value(initial)) != self.to_python(data)
        except ValidationError:
            return True


def _bonus_tiers_help() -> str:
    # Interpolated when rendered: `%` on a lazy string in a class body would fix it in the
    # language active at import (English).
    return _("Optional: extra pay above the target, e.g. %(example)s.") % {"example": TIER_EXAMPLE}


class KpiForm(forms.Form):
    metric = forms.ChoiceField(
        label=_("Metric"), choices=KpiTarget.Metric.choices, initial=KpiTarget.Metric.choices[0][0]
    )
    target = forms.IntegerField(label=_("Target"), min_value=1, max_value=2_000_000_000)
    bonus_tiers = BonusTiersField(
        label=_("Bonus tiers"),
        required=False,
        help_text=lazy(_bonus_tiers_help, str)(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _row_helper(
            ("metric", "col-md-3"),
            ("target", "col-md-2"),
            ("bonus_tiers", "col-md-5"),
            ("DELETE", "col-md-2 align-self-center"),
        )

    def clean(self):
        cleaned = super().clean()
        target, tiers = cleaned.get("target"), cleaned.get("bonus_tiers") or []
        try:
            validate_bonus_tiers(tiers)
        except ValidationError as exc:
            self.add_error("bonus_tiers", exc)
        else:
            add_row_errors(
                self, KpiTarget(metric=cleaned.get("metric"), target=target, bonus_tiers=tiers)
            )
        return cleaned


DeliverableFormSet = forms.formset_factory(DeliverableForm, extra=1, can_delete=True)
CompensationFormSet = forms.formset_factory(CompensationForm, extra=1, can_delete=True)
KpiFormSet = forms.formset_factory(KpiForm, extra=1, can_delete=True)


def _rows(formset: forms.BaseFormSet) -> list[dict]:
    """The kept rows, in page order: untouched extra rows and deleted rows left out."""
    rows = []
    for form in formset.forms:
        if not form.cleaned_data or form.cleaned_data.get("DELETE"):
            continue
        rows.append({key: value for key, value in form.cleaned_data.items() if key != "DELETE"})
    return rows


class TermsEditor:
    """The scalar form and the three formsets that together edit one terms version."""

    def __init__(self, partnership, *, data=None, version: TermsVersion | None = None):
        channels = partnership.influencer.channels.all()
        channel_choices = [("", "---------"), *((c.pk, str(c)) for c in channels)]
        initial = _initial(version) if data is None and version is not None else {}
        self.form = TermsForm(data, initial=initial.get("fields"))
        self.deliverables = DeliverableFormSet(
            data,
            prefix="deliverables",
            initial=initial.get("deliverables"),
            form_kwargs={"channels": channels, "channel_choices": channel_choices},
        )
        self.compensation = CompensationFormSet(
            data,
            prefix="compensation",
            initial=initial.get("compensation"),
            form_kwargs={"currency": partnership.campaign.currency},
        )
        self.kpis = KpiFormSet(data, prefix="kpis", initial=initial.get("kpis"))

    @property
    def sections(self) -> list[tuple[forms.BaseFormSet, str, str]]:
        return [
            (
                self.deliverables,
                _("What they create"),
                _("One row per channel and format. Tick “Delete” to remove a row."),
            ),
            (
                self.compensation,
                _("What they get"),
                _(
                    "Money is only one kind: product, affiliate commission and perks "
                    "(promoting their own book, album or product) count too."
                ),
            ),
            (
                self.kpis,
                _("KPI targets"),
                _("Numbers you will both watch, with optional bonus tiers above the target."),
            ),
        ]

    @property
    def must_haves_warning(self) -> str:
        if self.form.must_have_count() > MUST_HAVES_COMFORTABLE:
            return str(MUST_HAVES_WARNING)
        return ""

    def is_valid(self) -> bool:
        # A list, not a generator: every part validates so every error shows at once.
        formsets = [formset for formset, _title, _hint in self.sections]
        return all([self.form.is_valid(), *(formset.is_valid() for formset in formsets)])

    def add_error(self, error: ValidationError) -> None:
        self.form.add_error(None, error.messages)

    def terms_input(self) -> TermsInput:
        compensation = _rows(self.compensation)
        for row in compensation:
            row["quantity"] = row["quantity"] or 1
        return TermsInput(
            fields={name: self.form.cleaned_data[name] for name in SCALAR_FIELDS},
            deliverables=_rows(self.deliverables),
            compensation=compensation,
            kpis=_rows(self.kpis),
        )


def _initial(version: TermsVersion) -> dict:
    return {
        "fields": forms.model_to_dict(version, fields=SCALAR_FIELDS),
        "deliverables": [
            {
                "channel": d.channel_id,
                "format": d.format,
                "quantity": d.quantity,
                "due_on": d.due_on,
                "requirements": d.requirements,
            }
            for d in version.deliverables.all()
        ],
        "compensation": [
            {
                name: getattr(c, name)
                for name in (
                    "kind",
                    "description",
                    "amount",
                    "currency",
                    "quantity",
                    "cost_of_goods",
                    "retail_value",
                    "commission_percent",
                    "discount_code",
                )
            }
            for c in version.compensation.all()
        ],
        "kpis": [
            {"metric": k.metric, "target": k.target, "bonus_tiers": k.bonus_tiers}
            for k in version.kpis.all()
        ],
    }
