"""Editing terms (draft in place, or a new version after a proposal), proposing, and
the differences page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from partnerships import services
from partnerships.models import Deliverable, Partnership, TermsVersion
from partnerships.terms import content as terms
from partnerships.terms import services as terms_services
from tests.factories import ChannelFactory

FORMSETS = ("deliverables", "compensation", "kpis")


def _scalar(version: TermsVersion) -> dict:
    data = {
        "brief_must_haves": "\n".join(version.brief_must_haves),
        "creative_notes": version.creative_notes,
        "usage_channels": version.usage_channels,
        "usage_days": version.usage_days,
        "exclusivity_categories": version.exclusivity_categories,
        "exclusivity_days": version.exclusivity_days,
        "disclosure_rule": version.disclosure_rule,
        "payment_net_days": version.payment_net_days,
        "cancellation_terms": version.cancellation_terms,
    }
    for flag in ("content_approval_required", "paid_amplification"):
        if getattr(version, flag):
            data[flag] = "on"
    return data


def _rows(version: TermsVersion) -> dict[str, list[dict]]:
    blank = ""
    return {
        "deliverables": [
            {
                "channel": d.channel_id,
                "format": d.format,
                "quantity": d.quantity,
                "due_on": d.due_on.isoformat(),
                "requirements": d.requirements,
            }
            for d in version.deliverables.all()
        ],
        "compensation": [
            {
                "kind": c.kind,
                "description": c.description,
                "amount": blank if c.amount is None else c.amount,
                "currency": c.currency,
                "quantity": c.quantity,
                "cost_of_goods": blank if c.cost_of_goods is None else c.cost_of_goods,
                "retail_value": blank if c.retail_value is None else c.retail_value,
                "commission_percent": blank
                if c.commission_percent is None
                else c.commission_percent,
                "discount_code": c.discount_code,
            }
            for c in version.compensation.all()
        ],
        "kpis": [
            {
                "metric": k.metric,
                "target": k.target,
                **tier_fields((t["threshold"], t["amount"]) for t in k.bonus_tiers),
            }
            for k in version.kpis.all()
        ],
    }


def tier_fields(pairs) -> dict:
    """Bonus tiers as the KPI row posts them: threshold/amount pairs."""
    fields = {}
    for index, (threshold, amount) in enumerate(pairs):
        fields[f"tier_threshold_{index}"] = threshold
        fields[f"tier_amount_{index}"] = amount
    return fields


def _untouched_extra_row(prefix: str, version: TermsVersion) -> dict:
    """What the browser sends for the empty extra row nobody filled in."""
    if prefix == "deliverables":
        channels = list(version.partnership.influencer.channels.all())
        return {
            "channel": channels[0].pk if len(channels) == 1 else "",
            "format": "post",
            "quantity": 1,
        }
    if prefix == "compensation":
        return {"kind": "cash", "currency": version.partnership.campaign.currency, "quantity": 1}
    return {"metric": "posts_published"}


def terms_post(version: TermsVersion, *, based_on=None, fields=None, **rows) -> dict:
    """The edit form as the page posts it for `version`, with `fields` and rows changed.

    rows: deliverables=/compensation=/kpis= replace that list of row dicts."""
    data = {"based_on": version.number if based_on is None else based_on}
    data.update(_scalar(version))
    data.update(fields or {})
    current = _rows(version)
    for prefix in FORMSETS:
        kept = rows.get(prefix, current[prefix])
        posted = [*kept, _untouched_extra_row(prefix, version)]
        data[f"{prefix}-TOTAL_FORMS"] = len(posted)
        data[f"{prefix}-INITIAL_FORMS"] = len(current[prefix])
        for index, row in enumerate(posted):
            for key, value in row.items():
                if value is True:
                    value = "on"
                if value is not False and value is not None:
                    data[f"{prefix}-{index}-{key}"] = value
    return {key: value for key, value in data.items() if value is not None}


def edit_url(partnership) -> str:
    return reverse("partnerships:terms_edit", args=[partnership.pk])


def propose(client, partnership):
    return client.post(reverse("partnerships:terms_propose", args=[partnership.pk]))


def v(partnership, number) -> TermsVersion:
    return partnership.versions.get(number=number)


def first_row(version, prefix, **changes) -> dict:
    rows = _rows(version)[prefix]
    return {prefix: [{**rows[0], **changes}, *rows[1:]]}


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Editing -----------------------------------------------------------------------


def test_edit_page_shows_the_draft(marketer_client, partnership):
    response = marketer_client.get(edit_url(partnership))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Say it is Kopi Kita" in body
    assert "You are editing draft version 1" in body
    assert 'name="based_on" value="1"' in body
    assert 'name="deliverables-TOTAL_FORMS" value="2"' in body  # one row + one extra
    assert "1500.00" in body
    assert 'name="kpis-0-tier_threshold_0" value="3000"' in body
    assert 'name="kpis-0-tier_amount_0" value="300.00"' in body
    assert 'name="kpis-0-tier_threshold_1"' in body  # empty pairs for more tiers
    assert 'for="id_kpis-0-tier_amount_1"' in body
    # Content approval: off by default, and the page says why.
    assert 'name="content_approval_required"' in body
    assert 'name="content_approval_required" checked' not in body
    assert "Off on purpose" in body


def test_editing_a_draft_changes_it_in_place(marketer_client, partnership):
    v1 = v(partnership, 1)
    old_deliverable = v1.deliverables.get()
    channel = old_deliverable.channel
    second_channel = ChannelFactory(influencer=partnership.influencer, platform="tiktok")
    data = terms_post(
        v1,
        fields={"brief_must_haves": "Say it is Kopi Kita\n#ad\nLink in bio", "usage_days": 30},
        deliverables=[
            {**_rows(v1)["deliverables"][0], "quantity": 3},
            {
                "channel": second_channel.pk,
                "format": "video",
                "quantity": 1,
                "due_on": "2026-12-20",
                "requirements": "",
            },
        ],
        compensation=[
            {"kind": "cash", "amount": "1800", "currency": "MYR", "quantity": 1},
            {"kind": "perk", "description": "We share your new cookbook", "currency": "MYR"},
        ],
    )
    response = marketer_client.post(edit_url(partnership), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:detail", args=[partnership.pk])
    assert "Saved as draft version 1. Propose it when ready." in flashes(response)
    assert partnership.versions.count() == 1
    v1 = v(partnership, 1)
    assert v1.is_draft
    assert v1.brief_must_haves == ["Say it is Kopi Kita", "#ad", "Link in bio"]
    assert v1.usage_days == 30
    assert [(d.channel, d.quantity, d.position) for d in v1.deliverables.all()] == [
        (channel, 3, 0),
        (second_channel, 1, 1),
    ]
    assert not Deliverable.objects.filter(pk=old_deliverable.pk).exists()  # replaced
    assert [(c.kind, c.amount) for c in v1.compensation.all()] == [
        ("cash", Decimal("1800.00")),
        ("perk", None),
    ]
    assert v1.kpis.get().bonus_tiers == [{"threshold": 3000, "amount": "300.00"}]


def test_rows_can_be_deleted(marketer_client, partnership):
    v1 = v(partnership, 1)
    kpi = {**_rows(v1)["kpis"][0], "DELETE": True}
    response = marketer_client.post(edit_url(partnership), terms_post(v1, kpis=[kpi]))
    assert response.status_code == 302
    assert not v(partnership, 1).kpis.exists()


def test_bonus_tiers_are_stored_as_two_decimal_strings(marketer_client, partnership):
    v1 = v(partnership, 1)
    data = terms_post(
        v1, **first_row(v1, "kpis", target=2000, **tier_fields([(3000, "300"), (5000, "600.5")]))
    )
    assert marketer_client.post(edit_url(partnership), data).status_code == 302
    assert v(partnership, 1).kpis.get().bonus_tiers == [
        {"threshold": 3000, "amount": "300.00"},
        {"threshold": 5000, "amount": "600.50"},
    ]


def test_propose_then_edit_makes_version_2_and_leaves_version_1_alone(marketer_client, partnership):
    response = propose(marketer_client, partnership)
    assert response.status_code == 302
    assert f"Version 1 proposed to {partnership.influencer.name}. They have been emailed." in (
        flashes(response)
    )
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.PROPOSED
    v1 = v(partnership, 1)
    assert not v1.is_draft
    assert v1.sha256 == terms.version_digest(v1)
    before = terms.canonical(v1)

    page = marketer_client.get(edit_url(partnership)).content.decode()
    assert "saving creates draft version 2" in page
    assert "Save as version 2" in page

    data = terms_post(v1, **first_row(v1, "compensation", amount="1800.00"))
    response = marketer_client.post(edit_url(partnership), data)
    assert response.status_code == 302
    assert "Saved as draft version 2. Propose it when ready." in flashes(response)

    v1, v2 = v(partnership, 1), v(partnership, 2)
    assert terms.canonical(v1) == before
    assert v2.is_draft
    assert v2.compensation.get().amount == Decimal("1800.00")
    assert v2.deliverables.count() == 1

    diff = marketer_client.get(reverse("partnerships:terms_diff", args=[partnership.pk, 2]))
    body = diff.content.decode()
    assert diff.status_code == 200
    assert '<del class="diff-before">Cash fee: MYR 1,500.00</del>' in body
    assert '<ins class="diff-after">Cash fee: MYR 1,800.00</ins>' in body
    assert "Compensation" in body


def test_editing_a_new_draft_again_keeps_the_same_version(marketer_client, partnership):
    propose(marketer_client, partnership)
    v1 = v(partnership, 1)
    marketer_client.post(edit_url(partnership), terms_post(v1, fields={"usage_days": 7}))
    v2 = v(partnership, 2)
    response = marketer_client.post(edit_url(partnership), terms_post(v2, fields={"usage_days": 9}))
    assert response.status_code == 302
    assert partnership.versions.count() == 2
    assert v(partnership, 2).usage_days == 9


def _negative_amount(version):
    return first_row(version, "compensation", amount="-5")


def _foreign_channel(version):
    return first_row(version, "deliverables", channel=ChannelFactory().pk)


def _quantity_zero(version):
    return first_row(version, "deliverables", quantity=0)


def _tiers(*pairs):
    return lambda version: first_row(version, "kpis", **tier_fields(pairs))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_negative_amount, "greater than or equal to 0"),
        (_foreign_channel, "Select a valid choice"),
        (_quantity_zero, "greater than or equal to 1"),
        (_tiers(("lots", "300")), "Enter a whole number."),
        (_tiers((3000, 300), (2500, 100)), "Bonus thresholds must go up: 2500 is not above 3000"),
        (_tiers((1500, 100)), "Each bonus threshold must be above the target (2000)"),
        (_tiers((3000, -5)), "greater than or equal to 0"),
        (_tiers((3000, 0)), "must be more than zero"),
        (_tiers((3000, "")), "How much is this bonus?"),
        (_tiers(("", 300)), "At what number is this bonus paid?"),
        (
            lambda version: first_row(version, "compensation", kind="cash", amount=""),
            "A cash fee needs an amount.",
        ),
        (
            lambda version: first_row(version, "compensation", kind="product", amount=""),
            "Say what it is.",
        ),
        (
            lambda version: first_row(version, "compensation", kind="commission", amount=""),
            "Give a commission percentage or a discount code.",
        ),
        (
            lambda version: first_row(version, "compensation", kind="perk", amount=""),
            "Say what it is.",
        ),
        (
            lambda version: first_row(version, "compensation", commission_percent="120"),
            "less than or equal to 100",
        ),
        (lambda version: first_row(version, "kpis", target=0), "greater than or equal to 1"),
    ],
)
def test_invalid_input_is_shown_and_nothing_is_written(
    marketer_client, partnership, change, message
):
    propose(marketer_client, partnership)
    v1 = v(partnership, 1)
    before = terms.canonical(v1)

    response = marketer_client.post(edit_url(partnership), terms_post(v1, **change(v1)))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert partnership.versions.count() == 1  # no new version row either
    assert terms.canonical(v(partnership, 1)) == before


def test_invalid_input_on_a_draft_leaves_it_unchanged(marketer_client, partnership):
    v1 = v(partnership, 1)
    before = terms.canonical(v1)
    data = terms_post(v1, fields={"usage_days": 99}, **_negative_amount(v1))
    assert marketer_client.post(edit_url(partnership), data).status_code == 200
    assert terms.canonical(v(partnership, 1)) == before
    assert v(partnership, 1).usage_days == 0


def test_stale_page_is_refused(marketer_client, marketer, partnership):
    """Someone else made version 2 while this page still showed version 1."""
    propose(marketer_client, partnership)
    v1 = v(partnership, 1)
    terms_services.terms_open_draft(partnership=partnership, by=marketer, based_on=1)
    before = terms.canonical(v(partnership, 2))

    data = terms_post(v1, based_on=1, fields={"usage_days": 45})
    response = marketer_client.post(edit_url(partnership), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "These terms changed while you were looking (now version 2). Reload the page." in body
    assert 'class="alert alert-danger"' in body
    assert partnership.versions.count() == 2
    assert terms.canonical(v(partnership, 2)) == before
    assert v(partnership, 2).usage_days == 0
    # The page keeps the number it was built on, so submitting again fails again.
    assert 'name="based_on" value="1"' in body


def test_missing_based_on_is_treated_as_stale(marketer_client, partnership):
    data = terms_post(v(partnership, 1), fields={"usage_days": 45})
    del data["based_on"]
    response = marketer_client.post(edit_url(partnership), data)
    assert "Reload the page" in response.content.decode()
    assert v(partnership, 1).usage_days == 0


def test_acceptance_meanwhile_is_refused(marketer_client, influencer_user, partnership):
    propose(marketer_client, partnership)
    v1 = v(partnership, 1)
    data = terms_post(v1, fields={"usage_days": 45})
    data["seen_accepted"] = "0"  # the page was loaded before the influencer accepted
    terms_services.terms_accept(version=v1, by=influencer_user, ip=None, user_agent="")

    response = marketer_client.post(edit_url(partnership), data)
    assert "accepted version 1 a moment ago" in response.content.decode()
    assert partnership.versions.count() == 1


def test_a_failed_save_leaves_no_copied_draft(marketer_client, partnership, monkeypatch):
    propose(marketer_client, partnership)

    def refuse(**kwargs):
        raise services.TermsError("Refused for the test.")

    monkeypatch.setattr(terms_services, "terms_save", refuse)
    response = marketer_client.post(edit_url(partnership), terms_post(v(partnership, 1)))
    assert "Refused for the test." in response.content.decode()
    assert partnership.versions.count() == 1


def test_closed_partnership_cannot_change_terms(marketer_client, marketer, partnership):
    services.partnership_transition(
        partnership=partnership, to_status="cancelled", by=marketer, reason="Budget cut"
    )
    page = marketer_client.get(edit_url(partnership)).content.decode()
    assert "its terms can no longer change" in page
    response = marketer_client.post(edit_url(partnership), terms_post(v(partnership, 1)))
    assert "can no longer change" in response.content.decode()
    assert v(partnership, 1).usage_days == 0


def test_long_must_have_list_warns_but_saves(marketer_client, partnership):
    must_haves = "\n".join(f"Point {n}" for n in range(1, 8))
    data = terms_post(v(partnership, 1), fields={"brief_must_haves": must_haves})
    response = marketer_client.post(edit_url(partnership), data)

    assert response.status_code == 302
    warning = "A long list of must-haves leaves little room for the creator's own voice."
    assert warning in flashes(response)
    assert len(v(partnership, 1).brief_must_haves) == 7
    page = marketer_client.get(edit_url(partnership)).content.decode()
    assert 'class="alert alert-warning' in page
    assert "A long list of must-haves" in page


def test_short_must_have_list_has_no_warning(marketer_client, partnership):
    page = marketer_client.get(edit_url(partnership)).content.decode()
    assert "A long list of must-haves" not in page


# --- Proposing ---------------------------------------------------------------------


def test_propose_without_a_draft_explains(marketer_client, partnership):
    propose(marketer_client, partnership)
    response = propose(marketer_client, partnership)
    assert response.status_code == 302
    assert "There is no draft to propose." in flashes(response)


def test_propose_a_draft_without_deliverables_is_refused(marketer_client, partnership):
    v1 = v(partnership, 1)
    delete = {**_rows(v1)["deliverables"][0], "DELETE": True}
    marketer_client.post(edit_url(partnership), terms_post(v1, deliverables=[delete]))
    response = propose(marketer_client, partnership)
    assert "Add at least one deliverable before proposing the terms." in flashes(response)
    assert v(partnership, 1).is_draft


def test_propose_checks_the_number_the_button_showed(marketer_client, partnership):
    response = marketer_client.post(
        reverse("partnerships:terms_propose", args=[partnership.pk]), {"number": 3}
    )
    assert "The draft is now version 1" in flashes(response)[0]
    assert v(partnership, 1).is_draft


def test_propose_needs_post(marketer_client, partnership):
    response = marketer_client.get(reverse("partnerships:terms_propose", args=[partnership.pk]))
    assert response.status_code == 405


# --- Differences -------------------------------------------------------------------


def test_diff_of_the_first_version_has_nothing_to_compare(marketer_client, partnership):
    response = marketer_client.get(reverse("partnerships:terms_diff", args=[partnership.pk, 1]))
    assert response.status_code == 200
    assert "nothing to compare" in response.content.decode()


def test_diff_lists_scalar_changes_with_their_label(marketer_client, marketer, partnership):
    propose(marketer_client, partnership)
    v1 = v(partnership, 1)
    marketer_client.post(
        edit_url(partnership), terms_post(v1, fields={"disclosure_rule": "#iklan"})
    )
    body = marketer_client.get(
        reverse("partnerships:terms_diff", args=[partnership.pk, 2])
    ).content.decode()
    assert "disclosure" in body
    assert '<del class="diff-before">#ad</del>' in body
    assert '<ins class="diff-after">#iklan</ins>' in body


def test_diff_of_a_missing_version_is_404(marketer_client, partnership):
    response = marketer_client.get(reverse("partnerships:terms_diff", args=[partnership.pk, 5]))
    assert response.status_code == 404


# --- Who may do what ---------------------------------------------------------------


def test_viewer_reads_but_cannot_edit_or_propose(viewer_client, partnership):
    v1 = v(partnership, 1)
    before = terms.canonical(v1)
    for name in ("terms_document", "terms_diff"):
        url = reverse(f"partnerships:{name}", args=[partnership.pk, 1])
        assert viewer_client.get(url).status_code == 200, name
    assert viewer_client.get(edit_url(partnership)).status_code == 403
    data = terms_post(v1, fields={"usage_days": 5})
    assert viewer_client.post(edit_url(partnership), data).status_code == 403
    assert propose(viewer_client, partnership).status_code == 403
    v1 = v(partnership, 1)
    assert v1.is_draft
    assert v1.usage_days == 0
    assert terms.canonical(v1) == before


def _all_urls(partnership) -> list[str]:
    return [
        edit_url(partnership),
        reverse("partnerships:terms_propose", args=[partnership.pk]),
        reverse("partnerships:terms_document", args=[partnership.pk, 1]),
        reverse("partnerships:terms_pdf", args=[partnership.pk, 1]),
        reverse("partnerships:terms_diff", args=[partnership.pk, 1]),
    ]


def test_influencer_gets_403_everywhere_even_for_their_own_partnership(
    influencer_client, partnership
):
    for url in _all_urls(partnership):
        assert influencer_client.get(url).status_code == 403, url
        assert influencer_client.post(url).status_code == 403, url
    assert v(partnership, 1).is_draft


def test_anonymous_is_sent_to_login(client, partnership):
    for url in _all_urls(partnership):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_missing_partnership_and_version_are_404(marketer_client, partnership):
    missing = partnership.pk + 1000
    assert marketer_client.get(edit_url(Partnership(pk=missing))).status_code == 404
    propose_missing = reverse("partnerships:terms_propose", args=[missing])
    assert marketer_client.post(propose_missing).status_code == 404
    for name in ("terms_document", "terms_pdf", "terms_diff"):
        for args in ([missing, 1], [partnership.pk, 9]):
            url = reverse(f"partnerships:{name}", args=args)
            assert marketer_client.get(url).status_code == 404, url


def test_due_dates_round_trip_through_the_date_input(marketer_client, partnership):
    page = marketer_client.get(edit_url(partnership)).content.decode()
    assert 'type="date"' in page
    assert 'value="2026-12-15"' in page
    v1 = v(partnership, 1)
    data = terms_post(v1, **first_row(v1, "deliverables", due_on="2027-01-05"))
    marketer_client.post(edit_url(partnership), data)
    assert v(partnership, 1).deliverables.get().due_on == datetime.date(2027, 1, 5)


def test_two_editors_on_one_draft_the_second_is_told(marketer_client, marketer, partnership):
    url = reverse("partnerships:terms_edit", args=[partnership.pk])
    page = marketer_client.get(url).content.decode()
    seen = re.search(r'name="seen_digest" value="([0-9a-f]{64})"', page).group(1)
    draft = partnership.versions.get()
    # Someone else changes the same draft meanwhile (a change only the second editor missed).
    terms_services.terms_save(
        version=draft,
        by=marketer,
        data=terms_services.TermsInput(
            fields={"disclosure_rule": "#iklan"},
            deliverables=[
                {
                    "channel": d.channel,
                    "format": d.format,
                    "quantity": d.quantity,
                    "due_on": d.due_on,
                }
                for d in draft.deliverables.all()
            ],
            compensation=[
                {"kind": c.kind, "amount": c.amount, "currency": c.currency}
                for c in draft.compensation.all()
            ],
            kpis=[{"metric": k.metric, "target": k.target} for k in draft.kpis.all()],
        ),
    )
    data = terms_post(draft)
    data["seen_digest"] = seen
    response = marketer_client.post(url, data)
    assert "Someone else saved this draft" in response.content.decode()
    draft.refresh_from_db()
    assert draft.disclosure_rule == "#iklan"
