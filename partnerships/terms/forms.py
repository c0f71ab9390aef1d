"""Forms for editing a terms version: the scalar terms plus three row formsets.

The forms only check shape (numbers, dates, a row that makes sense on its own).
Whether the terms may change at all, and the channel-owner rule, are enforced
again by `services.terms_save`.
"""

import json
import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.forms import LinesField, TermsFieldsForm
from campaigns.models import currency_validator
from common.fields import StrictDecimalFormField, StrictIntegerFormField
from common.validators import MAX_MONEY, MAX_PIECES, MAX_QUANTITY, MAX_TARGET
from influencers.models import Channel

from ..models import CompensationLine, Deliverable, Format, KpiTarget, TermsVersion
from ..models.agreements import formats_for, validate_bonus_tiers
from .content import SCALAR_FIELDS, money
from .services import TermsInput

# Past this many must-haves the brief starts to read like a script (practice 2).
MUST_HAVES_COMFORTABLE = 5
MONEY = {
    "max_digits": 12,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "max_value": MAX_MONEY,
}
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
    quantity = StrictIntegerFormField(
        label=_("Quantity"), min_value=1, max_value=MAX_PIECES, initial=1
    )
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    requirements = forms.CharField(
        label=_("Requirements"),
        required=False,
        max_length=Deliverable._meta.get_field("requirements").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, channels, channel_choices, channel_formats: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["channel"]
        field.queryset = channels
        # Every row shows the same options: render them from one list, not one query a row.
        field.choices = channel_choices
        # Which formats each channel's platform takes, for deliverable-formats.js.
        field.widget.attrs["data-channel-formats"] = channel_formats
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

    def clean(self):
        cleaned = super().clean()
        channel, format = cleaned.get("channel"), cleaned.get("format")
        if channel and format:
            fields = {name: cleaned.get(name) for name in self.fields if name != "DELETE"}
            fields["requirements"] = fields["requirements"] or ""
            add_row_errors(self, Deliverable(**fields))
        return cleaned


class CompensationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CompensationLine.Kind.choices, initial=CompensationLine.Kind.CASH
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = StrictDecimalFormField(label=_("Amount"), required=False, **MONEY)
    currency = forms.CharField(
        label=_("Currency"), min_length=3, max_length=3, validators=[currency_validator]
    )
    quantity = StrictIntegerFormField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1, required=False
    )
    cost_of_goods = StrictDecimalFormField(label=_("Cost of goods (each)"), required=False, **MONEY)
    retail_value = StrictDecimalFormField(label=_("Retail value (each)"), required=False, **MONEY)
    commission_percent = StrictDecimalFormField(
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
            # A blank optional number takes the model's default (quantity 1).
            given = {name: value for name, value in fields.items() if value is not None}
            add_row_errors(
                self, CompensationLine(**{**given, "description": fields["description"] or ""})
            )
        return cleaned


def add_row_errors(form: forms.Form, row) -> None:
    """The model's own single-row rules (field validators and `clean()`), shown next to
    the fields they are about; a field that already failed its own check keeps just that
    error."""
    exclude = [field.name for field in row._meta.fields if field.name not in form.fields]
    try:
        row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in form.errors:
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)


TIER_PAIRS = 3  # empty threshold/amount pairs offered; saving offers one more than used
TIER_FIELD = re.compile(r"^tier_(threshold|amount)_(\d+)$")


class KpiForm(forms.Form):
    """A KPI target and its bonus tiers as threshold/amount pairs, stored as
    [{"threshold": 3000, "amount": "300.00"}, ...] (see `validate_bonus_tiers`)."""

    metric = forms.ChoiceField(
        label=_("Metric"), choices=KpiTarget.Metric.choices, initial=KpiTarget.Metric.choices[0][0]
    )
    target = StrictIntegerFormField(label=_("Target"), min_value=1, max_value=MAX_TARGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = self.initial.get("bonus_tiers") or []
        self.tier_count = max(TIER_PAIRS, len(tiers) + 1, self._posted_pairs())
        for index in range(self.tier_count):
            number = index + 1
            self.fields[f"tier_threshold_{index}"] = StrictIntegerFormField(
                label=_("Bonus %(n)s: at") % {"n": number},
                required=False,
                min_value=1,
                max_value=MAX_TARGET,
            )
            self.fields[f"tier_amount_{index}"] = StrictDecimalFormField(
                label=_("Bonus %(n)s: amount") % {"n": number}, required=False, **MONEY
            )
            if index < len(tiers):
                self.initial[f"tier_threshold_{index}"] = tiers[index]["threshold"]
                self.initial[f"tier_amount_{index}"] = Decimal(tiers[index]["amount"])
        pairs = [
            column
            for index in range(self.tier_count)
            for column in (
                (f"tier_threshold_{index}", "col-6 col-md-2"),
                (f"tier_amount_{index}", "col-6 col-md-2"),
            )
        ]
        self.helper = _row_helper(
            ("metric", "col-md-4"),
            ("target", "col-md-3"),
            ("DELETE", "col-md-2 align-self-center"),
            *pairs,
        )

    def _posted_pairs(self) -> int:
        if not self.is_bound:
            return 0
        indexes = [
            int(match[2])
            for key in self.data
            if key.startswith(self.prefix or "")
            and (match := TIER_FIELD.match(key.removeprefix(f"{self.prefix}-")))
        ]
        return max(indexes, default=-1) + 1

    def clean(self):
        cleaned = super().clean()
        tiers = []
        for index in range(self.tier_count):
            threshold = cleaned.pop(f"tier_threshold_{index}", None)
            amount = cleaned.pop(f"tier_amount_{index}", None)
            if threshold is None and amount is None:
                continue
            if threshold is None:
                self.add_error(f"tier_threshold_{index}", _("At what number is this bonus paid?"))
            elif amount is None:
                self.add_error(f"tier_amount_{index}", _("How much is this bonus?"))
            else:
                tiers.append({"threshold": threshold, "amount": money(amount)})
        cleaned["bonus_tiers"] = tiers
        if any(TIER_FIELD.match(name) for name in self.errors):
            return cleaned
        try:
            validate_bonus_tiers(tiers)
        except ValidationError as exc:
            self.add_error(None, exc)
        else:
            add_row_errors(
                self,
                KpiTarget(
                    metric=cleaned.get("metric"), target=cleaned.get("target"), bonus_tiers=tiers
                ),
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
        channel_formats = json.dumps({c.pk: formats_for(c.platform) for c in channels})
        initial = _initial(version) if data is None and version is not None else {}
        self.form = TermsForm(data, initial=initial.get("fields"))
        self.deliverables = DeliverableFormSet(
            data,
            prefix="deliverables",
            initial=initial.get("deliverables"),
            form_kwargs={
                "channels": channels,
                "channel_choices": channel_choices,
                "channel_formats": channel_formats,
            },
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
