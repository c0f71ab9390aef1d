"""The canonical content of a terms version: what is hashed, shown and compared.

`canonical()` turns a version into plain JSON-able data (strings, ints, bools,
lists, dicts; money as strings with two decimals, never floats). The SHA-256 on
the terms document is computed over its sorted-key JSON, so equal content gives
an equal hash and any change gives a different one. The version number is not
part of the content: it is the document's label, not its meaning.
"""

import difflib
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaigns.models import TERMS_FIELD_NAMES
from common.formatting import amount_text, count_text, currency_label, money_text

from ..models import CompensationLine, TermsVersion

# The terms fields beyond the lists: campaigns.TermsFields, which TermsVersion inherits.
SCALAR_FIELDS = TERMS_FIELD_NAMES


def money(value: Decimal | None) -> str | None:
    """Canonical form, for hashing: "1500.00"."""
    return None if value is None else f"{value:.2f}"


def canonical(version: TermsVersion) -> dict:
    """The content as proposed (frozen), or as it stands for a draft."""
    if not version.is_draft and version.content:
        return version.content
    return live_content(version)


def live_content(version: TermsVersion) -> dict:
    partnership = version.partnership
    campaign = partnership.campaign
    return {
        "parties": {
            "brand": campaign.brand,
            "campaign": campaign.name,
            "influencer": partnership.influencer.name,
        },
        "deliverables": [
            {
                "channel": f"{d.channel.platform}:{d.channel.handle}",
                "format": d.format,
                "quantity": d.quantity,
                "due_on": d.due_on.isoformat(),
                "requirements": d.requirements.strip(),
            }
            for d in version.deliverables.all()
        ],
        "compensation": [
            {
                "kind": c.kind,
                "description": c.description.strip(),
                "amount": money(c.amount),
                "currency": c.currency,
                "quantity": c.quantity,
                "cost_of_goods": money(c.cost_of_goods),
                "retail_value": money(c.retail_value),
                "commission_percent": money(c.commission_percent),
                "discount_code": c.discount_code,
            }
            for c in version.compensation.all()
        ],
        "kpis": [
            {
                "metric": k.metric,
                "target": k.target,
                "bonus_tiers": [
                    {"threshold": int(t["threshold"]), "amount": money(Decimal(str(t["amount"])))}
                    for t in k.bonus_tiers
                ],
            }
            for k in version.kpis.all()
        ],
        "terms": {name: _plain(getattr(version, name)) for name in SCALAR_FIELDS},
    }


def _plain(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [item.strip() for item in value]
    return value


def digest(content: dict) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def version_digest(version: TermsVersion) -> str:
    return digest(canonical(version))


# --- Human-readable lines, used by the document and the diff -----------------------


def deliverable_line(d) -> str:
    text = _("%(qty)s × %(format)s on %(channel)s, due %(due)s") % {
        "qty": count_text(d.quantity),
        "format": d.get_format_display(),
        "channel": d.channel,
        "due": date_format(d.due_on, "j M Y"),
    }
    return f"{text}. {d.requirements.strip()}" if d.requirements.strip() else text


def compensation_line(c: CompensationLine) -> str:
    kind = c.get_kind_display()
    if c.kind == CompensationLine.Kind.CASH:
        text = f"{kind}: {money_text(c.amount or Decimal('0'), c.currency)}"
    elif c.kind == CompensationLine.Kind.PRODUCT:
        text = _("%(kind)s: %(qty)s × %(item)s (retail value %(currency)s %(value)s each)") % {
            "kind": kind,
            "qty": count_text(c.quantity),
            "item": c.description,
            "currency": currency_label(c.currency),
            "value": amount_text(c.retail_value or Decimal("0")),
        }
    elif c.kind == CompensationLine.Kind.COMMISSION:
        parts = []
        if c.commission_percent is not None:
            parts.append(_("%(pct)s%% of sales") % {"pct": money(c.commission_percent)})
        if c.discount_code:
            parts.append(_("discount code %(code)s") % {"code": c.discount_code})
        text = f"{kind}: {', '.join(parts) or c.description}"
    else:
        text = f"{kind}: {c.description}"
    if c.description and c.kind in (CompensationLine.Kind.CASH, CompensationLine.Kind.COMMISSION):
        text += f" ({c.description})"
    return text


def kpi_line(k) -> str:
    """ "Visits: 2,000 (+MYR 200.00 at 3,000)": the grouping and money format of the page."""
    target = count_text(k.target)
    text = _("%(metric)s: %(target)s") % {"metric": k.get_metric_display(), "target": target}
    currency = k.version.partnership.campaign.currency
    tiers = [
        _("+%(amount)s at %(threshold)s")
        % {"amount": money_text(t["amount"], currency), "threshold": count_text(t["threshold"])}
        for t in k.bonus_tiers
    ]
    return f"{text} ({'; '.join(tiers)})" if tiers else text


def scalar_lines(version: TermsVersion) -> list[tuple[str, str]]:
    def yes_no(flag: bool) -> str:
        return _("yes") if flag else _("no")

    field = TermsVersion._meta.get_field
    return [
        (str(field("brief_must_haves").verbose_name), "; ".join(version.brief_must_haves)),
        (str(field("creative_notes").verbose_name), version.creative_notes.strip()),
        (
            str(field("content_approval_required").verbose_name),
            yes_no(version.content_approval_required),
        ),
        (str(field("usage_channels").verbose_name), version.usage_channels),
        (str(field("usage_days").verbose_name), str(version.usage_days)),
        (str(field("paid_amplification").verbose_name), yes_no(version.paid_amplification)),
        (str(field("exclusivity_categories").verbose_name), version.exclusivity_categories),
        (str(field("exclusivity_days").verbose_name), str(version.exclusivity_days)),
        (str(field("disclosure_rule").verbose_name), version.disclosure_rule),
        (str(field("payment_net_days").verbose_name), str(version.payment_net_days)),
        (str(field("cancellation_terms").verbose_name), version.cancellation_terms.strip()),
    ]


@dataclass
class Change:
    section: str
    label: str
    before: str
    after: str


def diff(old: TermsVersion, new: TermsVersion) -> list[Change]:
    """What changed from one version to the next, in words a person can check."""
    changes: list[Change] = []
    for (label, before), (_label, after) in zip(scalar_lines(old), scalar_lines(new), strict=True):
        if before != after:
            changes.append(Change(_("Terms"), label, before, after))
    sections = [
        (_("Deliverables"), deliverable_line, "deliverables"),
        (_("Compensation"), compensation_line, "compensation"),
        (_("KPI targets"), kpi_line, "kpis"),
    ]
    for section, line, related in sections:
        before = [line(item) for item in getattr(old, related).all()]
        after = [line(item) for item in getattr(new, related).all()]
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
            if op == "equal":
                continue
            removed, added = before[i1:i2], after[j1:j2]
            for index in range(max(len(removed), len(added))):
                changes.append(
                    Change(
                        section,
                        "",
                        removed[index] if index < len(removed) else "",
                        added[index] if index < len(added) else "",
                    )
                )
    return changes
