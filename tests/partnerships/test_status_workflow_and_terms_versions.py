"""The partnership state machine, versioned terms and acceptance, on real Postgres."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from partnerships import services
from partnerships.models import (
    Acceptance,
    CompensationLine,
    Deliverable,
    KpiTarget,
    Partnership,
    TermsVersion,
)
from partnerships.terms import content as terms
from partnerships.terms import services as terms_services
from tests.concurrency import race
from tests.factories import CampaignFactory, ChannelFactory

Status = Partnership.Status


def accept(partnership, user, number=None):
    version = (
        partnership.versions.get(number=number)
        if number
        else partnership.versions.exclude(proposed_at=None).latest("number")
    )
    return terms_services.terms_accept(
        version=version, by=user, ip="203.0.113.7", user_agent="pytest"
    )


def propose(partnership, marketer):
    return terms_services.terms_propose(version=partnership.versions.latest("number"), by=marketer)


def edit(partnership, marketer, **fields):
    latest = partnership.versions.latest("number")
    draft = terms_services.terms_open_draft(
        partnership=partnership, by=marketer, based_on=latest.number
    )
    current = terms_services.TermsInput(
        fields={name: getattr(draft, name) for name in terms.SCALAR_FIELDS} | fields,
        deliverables=[
            {
                "channel": d.channel,
                "format": d.format,
                "quantity": d.quantity,
                "due_on": d.due_on,
                "requirements": d.requirements,
            }
            for d in draft.deliverables.all()
        ],
        compensation=[
            {"kind": c.kind, "amount": c.amount, "currency": c.currency}
            for c in draft.compensation.all()
        ],
        kpis=[
            {"metric": k.metric, "target": k.target, "bonus_tiers": k.bonus_tiers}
            for k in draft.kpis.all()
        ],
    )
    return terms_services.terms_save(version=draft, by=marketer, data=current)


# --- Status machine ---------------------------------------------------------------

ALL = list(Status.values)
MANUAL = {(a, b) for a, targets in services.MANUAL_TRANSITIONS.items() for b in targets}


@pytest.mark.parametrize("from_status", ALL)
@pytest.mark.parametrize("to_status", ALL)
def test_every_manual_transition_is_allowed_or_refused(
    partnership, marketer, from_status, to_status
):
    Partnership.objects.filter(pk=partnership.pk).update(status=from_status)

    if (from_status, to_status) in MANUAL:
        moved = services.partnership_transition(
            partnership=partnership, to_status=to_status, by=marketer, reason="Test"
        )
        assert moved.status == to_status
    else:
        with pytest.raises(services.TermsError) as caught:
            services.partnership_transition(
                partnership=partnership, to_status=to_status, by=marketer, reason="Test"
            )
        assert caught.value.messages[0]
        partnership.refresh_from_db()
        assert partnership.status == from_status


def test_proposed_and_accepted_only_come_from_terms(partnership, marketer):
    with pytest.raises(services.TermsError, match="Propose the terms"):
        services.partnership_transition(partnership=partnership, to_status="proposed", by=marketer)
    propose(partnership, marketer)
    with pytest.raises(services.TermsError, match="acceptance"):
        services.partnership_transition(partnership=partnership, to_status="accepted", by=marketer)


def test_the_full_happy_path(partnership, marketer, influencer_user):
    propose(partnership, marketer)
    partnership.refresh_from_db()
    assert partnership.status == Status.PROPOSED
    accept(partnership, influencer_user)
    partnership.refresh_from_db()
    assert partnership.status == Status.ACCEPTED
    for status in (Status.ACTIVE, Status.COMPLETED):
        services.partnership_transition(
            partnership=partnership, to_status=status, by=marketer, reason="Delivered"
        )
    partnership.refresh_from_db()
    assert partnership.status == Status.COMPLETED


def test_the_reason_for_closing_is_kept_in_the_history(partnership, marketer):
    services.partnership_transition(
        partnership=partnership, to_status=Status.CANCELLED, by=marketer, reason="Budget cut"
    )
    assert partnership.history.latest().history_change_reason == "Budget cut"


@pytest.mark.parametrize(
    "from_status, to_status",
    [(Status.DRAFT, Status.CANCELLED), (Status.ACTIVE, Status.COMPLETED)],
)
def test_closing_without_a_reason_is_refused_by_the_service(
    partnership, marketer, from_status, to_status
):
    Partnership.objects.filter(pk=partnership.pk).update(status=from_status)
    with pytest.raises(services.TermsError, match="Say why") as caught:
        services.partnership_transition(
            partnership=partnership, to_status=to_status, by=marketer, reason="   "
        )
    assert caught.value.code == "reason_required"
    partnership.refresh_from_db()
    assert partnership.status == from_status


@pytest.mark.parametrize("closed", [Status.CANCELLED, Status.DECLINED])
def test_a_partnership_closed_without_a_deal_reopens_as_a_new_draft(partnership, marketer, closed):
    edit(partnership, marketer, usage_days=45)
    Partnership.objects.filter(pk=partnership.pk).update(status=closed)

    reopened = services.partnership_reopen(partnership=partnership, by=marketer)

    assert reopened.pk != partnership.pk
    assert (reopened.campaign, reopened.influencer) == (
        partnership.campaign,
        partnership.influencer,
    )
    assert reopened.status == Status.DRAFT and reopened.renewed_from == partnership
    draft = reopened.versions.get()
    assert draft.is_draft and draft.usage_days == 45
    assert draft.deliverables.count() == partnership.versions.get().deliverables.count()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ACTIVE, Status.COMPLETED])
def test_only_closed_without_a_deal_can_be_reopened(partnership, marketer, status):
    Partnership.objects.filter(pk=partnership.pk).update(status=status)
    with pytest.raises(services.TermsError, match="Only a cancelled or declined"):
        services.partnership_reopen(partnership=partnership, by=marketer)


def test_a_cancelled_pair_can_be_created_again_but_not_twice(partnership, marketer):
    services.partnership_transition(
        partnership=partnership, to_status="cancelled", by=marketer, reason="Budget cut"
    )
    again = services.partnership_create(
        campaign=partnership.campaign, influencer=partnership.influencer, by=marketer
    )
    assert again.status == Status.DRAFT
    with pytest.raises(services.ValidationError, match="already in"):
        services.partnership_create(
            campaign=partnership.campaign, influencer=partnership.influencer, by=marketer
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(campaign=partnership.campaign, influencer=partnership.influencer)


# --- Versioning -----------------------------------------------------------------------


def test_a_draft_is_edited_in_place(partnership, marketer):
    edit(partnership, marketer, disclosure_rule="#iklan")
    assert list(partnership.versions.values_list("number", "disclosure_rule")) == [(1, "#iklan")]


def test_editing_after_a_proposal_makes_a_new_version(partnership, marketer):
    v1 = propose(partnership, marketer)
    before = terms.canonical(v1)

    v2 = edit(partnership, marketer, disclosure_rule="#iklan")

    assert (v2.number, v2.is_draft) == (2, True)
    v1.refresh_from_db()
    assert terms.canonical(v1) == before
    assert v2.deliverables.count() == 1 and v2.kpis.get().bonus_tiers == v1.kpis.get().bonus_tiers
    changes = terms.diff(v1, v2)
    assert [(c.label, c.before, c.after) for c in changes] == [("disclosure", "#ad", "#iklan")]


def test_stale_editor_is_told_the_terms_moved_on(partnership, marketer):
    propose(partnership, marketer)
    edit(partnership, marketer, disclosure_rule="#iklan")
    propose(partnership, marketer)
    with pytest.raises(services.TermsError, match="changed while you were looking"):
        terms_services.terms_open_draft(partnership=partnership, by=marketer, based_on=1)


def test_a_proposed_version_cannot_be_saved_through_the_service(partnership, marketer):
    v1 = propose(partnership, marketer)
    with pytest.raises(services.TermsError, match="already proposed"):
        terms_services.terms_save(
            version=v1,
            by=marketer,
            data=terms_services.TermsInput(fields={}, deliverables=[], compensation=[], kpis=[]),
        )


@pytest.mark.parametrize(
    "attempt",
    [
        lambda v: TermsVersion.objects.filter(pk=v.pk).update(disclosure_rule="none"),
        lambda v: TermsVersion.objects.filter(pk=v.pk).delete(),
        lambda v: Deliverable.objects.filter(version=v).update(quantity=9),
        lambda v: Deliverable.objects.filter(version=v).delete(),
        lambda v: CompensationLine.objects.filter(version=v).update(amount=Decimal("1")),
        lambda v: KpiTarget.objects.filter(version=v).update(target=1),
        lambda v: KpiTarget.objects.create(version=v, metric="views", target=10),
        lambda v: v.save(),
    ],
    ids=[
        "update",
        "delete",
        "deliverable-update",
        "deliverable-delete",
        "compensation-update",
        "kpi-update",
        "kpi-insert",
        "model-save",
    ],
)
def test_no_code_path_can_alter_an_accepted_version(
    partnership, marketer, influencer_user, attempt
):
    v1 = propose(partnership, marketer)
    accept(partnership, influencer_user)
    before = terms.canonical(v1)

    with (
        pytest.raises(IntegrityError, match="can no longer change|protected"),
        transaction.atomic(),
    ):
        attempt(v1)

    v1 = TermsVersion.objects.get(pk=v1.pk)
    assert terms.canonical(v1) == before
    assert terms.version_digest(v1) == v1.sha256 == v1.acceptance.sha256


def test_acceptance_records_are_write_once(partnership, marketer, influencer_user):
    propose(partnership, marketer)
    acceptance = accept(partnership, influencer_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Acceptance.objects.filter(pk=acceptance.pk).update(ip_address="198.51.100.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Acceptance.objects.filter(pk=acceptance.pk).delete()


def test_a_deliverable_on_another_influencers_channel_is_refused(partnership, marketer):
    stranger = ChannelFactory()
    draft = partnership.versions.get()
    with pytest.raises(services.TermsError, match="belongs to another influencer"):
        terms_services.terms_save(
            version=draft,
            by=marketer,
            data=terms_services.TermsInput(
                fields={},
                deliverables=[
                    {
                        "channel": stranger,
                        "format": "post",
                        "quantity": 1,
                        "due_on": datetime.date(2026, 12, 1),
                    }
                ],
                compensation=[],
                kpis=[],
            ),
        )
    assert draft.deliverables.count() == 1


def test_negative_money_is_refused_by_the_service_and_the_database(partnership, marketer):
    from django.core.exceptions import ValidationError

    draft = partnership.versions.get()
    with pytest.raises(ValidationError):
        terms_services.terms_save(
            version=draft,
            by=marketer,
            data=terms_services.TermsInput(
                fields={},
                deliverables=[],
                compensation=[{"kind": "cash", "amount": Decimal("-5.00"), "currency": "MYR"}],
                kpis=[],
            ),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CompensationLine.objects.create(version=draft, kind="cash", amount=Decimal("-1"))


def test_proposing_needs_a_deliverable(marketer, influencer):
    partnership = services.partnership_create(
        campaign=CampaignFactory(), influencer=influencer, by=marketer
    )
    with pytest.raises(services.TermsError, match="at least one deliverable"):
        propose(partnership, marketer)


def test_one_partnership_per_influencer_and_campaign(partnership, marketer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already in"):
        services.partnership_create(
            campaign=partnership.campaign, influencer=partnership.influencer, by=marketer
        )


def test_new_partnerships_start_from_the_campaign_default_terms(marketer, influencer):
    campaign = CampaignFactory(
        default_terms={"brief_must_haves": ["Mention the Raya bundle"], "usage_days": 90}
    )
    partnership = services.partnership_create(campaign=campaign, influencer=influencer, by=marketer)
    v1 = partnership.versions.get()
    assert (v1.brief_must_haves, v1.usage_days) == (["Mention the Raya bundle"], 90)


# --- Acceptance ------------------------------------------------------------------------


def test_acceptance_records_who_when_what_and_from_where(partnership, marketer, influencer_user):
    v1 = propose(partnership, marketer)
    acceptance = accept(partnership, influencer_user)
    assert acceptance.version == v1
    assert acceptance.accepted_by == influencer_user
    assert acceptance.sha256 == v1.sha256 == terms.version_digest(v1)
    assert (acceptance.ip_address, acceptance.user_agent) == ("203.0.113.7", "pytest")
    assert acceptance.accepted_at is not None


def test_accepting_twice_or_a_superseded_version_is_refused(partnership, marketer, influencer_user):
    propose(partnership, marketer)
    accept(partnership, influencer_user)
    with pytest.raises(services.TermsError, match="already accepted"):
        accept(partnership, influencer_user, number=1)

    edit(partnership, marketer, usage_days=30)
    propose(partnership, marketer)
    edit(partnership, marketer, usage_days=60)
    propose(partnership, marketer)
    with pytest.raises(services.TermsError, match="replaced by version 3"):
        accept(partnership, influencer_user, number=2)
    accept(partnership, influencer_user, number=3)
    assert Acceptance.objects.filter(partnership=partnership).count() == 2


def test_marketers_and_other_influencers_cannot_accept(
    partnership, marketer, other_influencer_user
):
    propose(partnership, marketer)
    for user in (marketer, other_influencer_user):
        with pytest.raises(services.TermsError, match="Only the influencer"):
            accept(partnership, user)


# --- Renewal --------------------------------------------------------------------------


def test_renewal_keeps_the_relationship_and_takes_the_brief_from_the_new_campaign(
    partnership, marketer, influencer_user
):
    edit(partnership, marketer, brief_must_haves=["Old launch hashtag"], exclusivity_days=0)
    propose(partnership, marketer)
    accept(partnership, influencer_user)
    edit(partnership, marketer, usage_days=365)  # a newer draft that was never agreed
    later = CampaignFactory(
        ends_on=datetime.date(2027, 6, 30),
        default_terms={
            "brief_must_haves": ["New key message"],
            "exclusivity_categories": "skincare",
            "exclusivity_days": 30,
            "usage_days": 90,
        },
    )

    renewal = services.partnership_renew(partnership=partnership, campaign=later, by=marketer)

    v1 = renewal.versions.get()
    assert (renewal.status, v1.is_draft, renewal.renewed_from) == ("draft", True, partnership)
    assert v1.brief_must_haves == ["New key message"]
    assert (v1.exclusivity_categories, v1.exclusivity_days, v1.usage_days) == ("skincare", 30, 90)
    accepted = partnership.versions.get(number=1)
    ours, theirs = terms.canonical(v1), terms.canonical(accepted)
    assert ours["compensation"] == theirs["compensation"]
    assert ours["kpis"] == theirs["kpis"]
    assert [d.channel_id for d in v1.deliverables.all()] == [
        d.channel_id for d in accepted.deliverables.all()
    ]
    assert {d.due_on for d in v1.deliverables.all()} == {later.ends_on}


def test_a_partnership_never_accepted_cannot_be_renewed(partnership, marketer):
    propose(partnership, marketer)
    with pytest.raises(services.TermsError, match="accepted can be renewed"):
        services.partnership_renew(partnership=partnership, campaign=CampaignFactory(), by=marketer)
    assert Partnership.objects.count() == 1


# --- Money ----------------------------------------------------------------------------


def _floats(value) -> list:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for item in value.values() for f in _floats(item)]
    if isinstance(value, list):
        return [f for item in value for f in _floats(item)]
    return []


def test_no_floats_anywhere_in_terms_or_money_columns(partnership):
    v1 = partnership.versions.get()
    assert _floats(terms.canonical(v1)) == []
    line = v1.compensation.get()
    assert isinstance(line.amount, Decimal) and line.amount == Decimal("1500.00")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('real', 'double precision') "
            "AND table_name LIKE ANY (ARRAY['partnerships_%%', 'campaigns_%%'])"
        )
        assert cursor.fetchall() == []


def test_digest_is_stable_for_equal_content_and_changes_with_any_edit(partnership, marketer):
    v1 = partnership.versions.get()
    assert terms.version_digest(v1) == terms.version_digest(TermsVersion.objects.get(pk=v1.pk))
    seen = {terms.version_digest(v1)}
    for change in ({"disclosure_rule": "#iklan"}, {"usage_days": 7}, {"brief_must_haves": ["x"]}):
        edit(partnership, marketer, **change)
        seen.add(terms.version_digest(partnership.versions.get()))
    assert len(seen) == 4


# --- Concurrency on real Postgres -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_edit_and_accept_exactly_one_wins(marketer, influencer_user):
    from tests.factories import make_partnership

    channel = ChannelFactory(influencer__user=influencer_user)
    outcomes = set()
    for _ in range(6):  # either may come first; never both, never neither
        partnership = make_partnership(by=marketer, channel=channel, campaign=CampaignFactory())
        v1 = propose(partnership, marketer)
        opened, accepted = race(
            lambda p=partnership: terms_services.terms_open_draft(
                partnership=p, by=marketer, based_on=1, seen_accepted=False
            ),
            lambda v=v1: terms_services.terms_accept(
                version=v, by=influencer_user, ip=None, user_agent=""
            ),
        )
        if isinstance(opened, TermsVersion):
            assert isinstance(accepted, services.TermsError), accepted
            assert "revising" in accepted.messages[0]
            assert not Acceptance.objects.filter(partnership=partnership).exists()
            outcomes.add("edit")
        else:
            assert isinstance(opened, services.TermsError), opened
            assert "accepted version 1 a moment ago" in opened.messages[0]
            assert isinstance(accepted, Acceptance)
            assert partnership.versions.count() == 1
            outcomes.add("accept")
    assert outcomes  # at least one full round ran


def test_an_open_draft_blocks_acceptance_until_proposed(partnership, marketer, influencer_user):
    propose(partnership, marketer)
    edit(partnership, marketer, usage_days=30)
    with pytest.raises(services.TermsError, match="revising"):
        accept(partnership, influencer_user, number=1)
    propose(partnership, marketer)
    assert accept(partnership, influencer_user, number=2).version.number == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_of_one_version_leave_exactly_one_acceptance(marketer, influencer_user):
    from tests.factories import make_partnership

    channel = ChannelFactory(influencer__user=influencer_user)
    partnership = make_partnership(by=marketer, channel=channel)
    v1 = propose(partnership, marketer)

    results = race(
        *[
            lambda: terms_services.terms_accept(
                version=v1, by=influencer_user, ip=None, user_agent=""
            )
            for _ in range(4)
        ]
    )

    assert sum(isinstance(r, Acceptance) for r in results) == 1
    assert all(isinstance(r, (Acceptance, services.TermsError)) for r in results), results
    assert Acceptance.objects.filter(version=v1).count() == 1


def test_renaming_things_later_does_not_change_proposed_content_or_hash(
    partnership, marketer, influencer
):
    v1 = propose(partnership, marketer)
    before = terms.canonical(v1)
    partnership.campaign.name = "Renamed campaign"
    partnership.campaign.save()
    influencer.name = "Renamed person"
    influencer.save()

    v1 = TermsVersion.objects.get(pk=v1.pk)
    assert terms.canonical(v1) == before
    assert terms.digest(terms.canonical(v1)) == v1.sha256
