import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign
from partnerships import services as partnership_services
from partnerships.costs import campaign_budget
from partnerships.models import Partnership, Payment, Shipment
from partnerships.terms import services as terms_services
from tests.factories import CampaignFactory, ChannelFactory, make_partnership


def form_data(**overrides) -> dict:
    data = {
        "name": "Raya 2026",
        "brand": "Kopi Kita",
        "goal": "2,000 visits to the Raya landing page",
        "key_message": "Kopi Kita tastes like home",
        "starts_on": "2026-03-01",
        "ends_on": "2026-04-15",
        "budget": "15000.00",
        "currency": "myr",
        "landing_page_url": "https://kopikita.test/raya",
        "utm_campaign": "",
        "status": "planning",
        "owner": "",
        "brief_must_haves": "Say it is Kopi Kita\n\n  #ad  \nLink in bio",
        "creative_notes": "Your own style.",
        "usage_channels": "Brand Instagram",
        "usage_days": "90",
        "exclusivity_categories": "coffee",
        "exclusivity_days": "30",
        "disclosure_rule": "#iklan",
        "payment_net_days": "14",
        "cancellation_terms": "",
    }
    return {**data, **overrides}


# --- Create and edit ---------------------------------------------------------------


def test_create_saves_the_campaign_and_its_default_terms(marketer_client, marketer):
    response = marketer_client.post(reverse("campaigns:create"), form_data())

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == campaign.get_absolute_url()
    assert campaign.utm_campaign == "raya_2026"
    assert campaign.currency == "MYR"
    assert campaign.budget == Decimal("15000.00")
    assert campaign.owner == marketer
    assert campaign.default_terms.terms_values() == {
        "brief_must_haves": ["Say it is Kopi Kita", "#ad", "Link in bio"],
        "creative_notes": "Your own style.",
        "content_approval_required": False,
        "usage_channels": "Brand Instagram",
        "usage_days": 90,
        "paid_amplification": False,
        "exclusivity_categories": "coffee",
        "exclusivity_days": 30,
        "disclosure_rule": "#iklan",
        "payment_net_days": 14,
        "cancellation_terms": "",
    }


def test_new_partnerships_start_from_the_default_terms_set_on_the_form(marketer_client, marketer):
    marketer_client.post(reverse("campaigns:create"), form_data())
    campaign = Campaign.objects.get()

    partnership = partnership_services.partnership_create(
        campaign=campaign, influencer=ChannelFactory().influencer, by=marketer
    )
    v1 = partnership.versions.get()
    assert v1.brief_must_haves == ["Say it is Kopi Kita", "#ad", "Link in bio"]
    assert v1.disclosure_rule == "#iklan"
    assert v1.payment_net_days == 14
    assert v1.usage_days == 90
    assert v1.content_approval_required is False


def test_the_detail_page_shows_the_default_terms(marketer_client):
    response = marketer_client.post(reverse("campaigns:create"), form_data(), follow=True)

    html = response.content.decode()
    assert "<li>Say it is Kopi Kita</li>" in html
    assert "Net 14 days" in html
    assert "coffee, for 30 days" in html


def test_empty_day_counts_mean_none(marketer_client):
    marketer_client.post(reverse("campaigns:create"), form_data(usage_days="", exclusivity_days=""))
    terms = Campaign.objects.get().default_terms
    assert terms.usage_days == 0
    assert terms.exclusivity_days == 0


def test_a_name_without_letters_needs_a_typed_utm_campaign(marketer_client):
    response = marketer_client.post(reverse("campaigns:create"), form_data(name="🎉🎉"))

    assert response.context["form"].errors["utm_campaign"] == [
        "Enter a UTM campaign: letters, numbers and underscores."
    ]
    assert not Campaign.objects.exists()


def test_default_terms_and_terms_versions_share_one_definition_of_the_fields():
    from campaigns.forms import DefaultTermsForm
    from campaigns.models import TERMS_FIELD_NAMES, DefaultTerms, TermsFields
    from partnerships.models import TermsVersion
    from partnerships.terms.forms import TermsForm

    assert issubclass(DefaultTerms, TermsFields) and issubclass(TermsVersion, TermsFields)
    assert list(DefaultTermsForm.base_fields) == list(TermsForm.base_fields)
    assert list(TermsForm.base_fields) == list(TERMS_FIELD_NAMES)
    for name in TERMS_FIELD_NAMES:
        ours, theirs = DefaultTerms._meta.get_field(name), TermsVersion._meta.get_field(name)
        assert type(ours) is type(theirs), name
        assert ours.column == theirs.column == name  # no column moved or renamed
        assert (ours.verbose_name, ours.default, ours.help_text, ours.max_length) == (
            theirs.verbose_name,
            theirs.default,
            theirs.help_text,
            theirs.max_length,
        ), name


def test_create_form_offers_sensible_defaults(marketer_client, settings):
    response = marketer_client.get(reverse("campaigns:create"))

    form, terms_form = response.context["form"], response.context["terms_form"]
    assert response.status_code == 200
    assert form["currency"].value() == settings.DEFAULT_CURRENCY
    assert terms_form["disclosure_rule"].value() == "#ad"
    assert terms_form["payment_net_days"].value() == 30
    assert terms_form["content_approval_required"].value() is False
    html = response.content.decode()
    assert 'type="date"' in html
    assert "Default terms for new partnerships" in html


def test_end_before_start_is_refused_by_the_form(marketer_client):
    response = marketer_client.post(
        reverse("campaigns:create"), form_data(starts_on="2026-04-15", ends_on="2026-03-01")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == [
        "The end date cannot be before the start date."
    ]
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_end_before_start_is_refused_by_the_database():
    campaign = CampaignFactory.build(
        starts_on=datetime.date(2026, 4, 15), ends_on=datetime.date(2026, 3, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        campaign.save()


def test_negative_budget_is_refused(marketer_client):
    response = marketer_client.post(reverse("campaigns:create"), form_data(budget="-1.00"))

    assert response.status_code == 200
    assert response.context["form"].errors["budget"] == ["The budget cannot be negative."]
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_negative_budget_is_refused_by_the_service_and_the_database(marketer):
    with pytest.raises(ValidationError):
        services.campaign_create(by=marketer, **_service_fields(budget=Decimal("-5")))
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(budget=Decimal("-5"))


def test_a_taken_utm_campaign_is_refused_with_a_clear_message(marketer_client):
    CampaignFactory(name="Raya 2025", brand="Kopi Kita", utm_campaign="raya_2026")

    response = marketer_client.post(reverse("campaigns:create"), form_data())

    assert response.status_code == 200
    assert response.context["form"].errors["utm_campaign"] == [
        "“raya_2026” is already the UTM campaign of Raya 2025 (Kopi Kita). Choose another."
    ]
    assert Campaign.objects.count() == 1


@pytest.mark.django_db
def test_the_service_refuses_a_taken_utm_campaign_too(marketer):
    CampaignFactory(utm_campaign="raya_2026")
    with pytest.raises(ValidationError) as caught:
        services.campaign_create(by=marketer, **_service_fields(utm_campaign="raya_2026"))
    assert "utm_campaign" in caught.value.message_dict


def test_a_typed_utm_campaign_is_kept(marketer_client):
    marketer_client.post(reverse("campaigns:create"), form_data(utm_campaign="Raya_KL"))
    assert Campaign.objects.get().utm_campaign == "raya_kl"


def test_edit_updates_the_campaign_and_keeps_its_own_utm(marketer_client):
    campaign = CampaignFactory(utm_campaign="raya_2026", default_terms={"payment_net_days": 60})
    url = reverse("campaigns:edit", args=[campaign.pk])
    assert marketer_client.get(url).context["terms_form"]["payment_net_days"].value() == 60

    response = marketer_client.post(
        url, form_data(name="Raya 2026 (extended)", utm_campaign="raya_2026", budget="18000")
    )

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.name == "Raya 2026 (extended)"
    assert campaign.utm_campaign == "raya_2026"
    assert campaign.budget == Decimal("18000.00")
    assert campaign.default_terms.payment_net_days == 14


def test_edit_refuses_end_before_start(marketer_client):
    campaign = CampaignFactory()
    response = marketer_client.post(
        reverse("campaigns:edit", args=[campaign.pk]),
        form_data(starts_on="2026-04-15", ends_on="2026-03-01", utm_campaign="x"),
    )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.starts_on == datetime.date(2026, 12, 1)


def _service_fields(**overrides) -> dict:
    fields = {
        "name": "Raya 2026",
        "brand": "Kopi Kita",
        "starts_on": datetime.date(2026, 3, 1),
        "ends_on": datetime.date(2026, 4, 15),
        "budget": Decimal("1000.00"),
        "currency": "MYR",
        "utm_campaign": "raya_2026",
    }
    return {**fields, **overrides}


# --- List and detail ---------------------------------------------------------------


def test_list_and_detail_show_empty_states(marketer_client):
    response = marketer_client.get(reverse("campaigns:list"))
    assert "No campaigns yet." in response.content.decode()

    campaign = CampaignFactory()
    response = marketer_client.get(campaign.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "No partnerships in this campaign yet." in html
    assert f"{reverse('partnerships:create')}?campaign={campaign.pk}" in html


def test_list_shows_counts_and_filters_by_status_and_search(marketer_client, marketer):
    raya = CampaignFactory(name="Raya 2026", brand="Kopi Kita", status="live")
    CampaignFactory(name="Merdeka", brand="Teh Tarik Co", status="planning")
    make_partnership(by=marketer, campaign=raya)
    make_partnership(by=marketer, campaign=raya)

    response = marketer_client.get(reverse("campaigns:list"))
    rows = {c.name: c for c in response.context["page"].object_list}
    assert rows["Raya 2026"].partnership_count == 2
    assert rows["Merdeka"].partnership_count == 0
    assert "MYR 20,000.00" in response.content.decode()

    def names(**params):
        response = marketer_client.get(reverse("campaigns:list"), params)
        return [c.name for c in response.context["page"].object_list]

    assert names(status="live") == ["Raya 2026"]
    assert names(q="teh tarik") == ["Merdeka"]
    assert names(q="raya") == ["Raya 2026"]
    assert names(q="nothing like it") == []
    assert (
        "No campaign matches these filters."
        in marketer_client.get(reverse("campaigns:list"), {"q": "nothing like it"}).content.decode()
    )


def test_viewers_see_campaigns_without_edit_buttons(viewer_client):
    campaign = CampaignFactory()

    listing = viewer_client.get(reverse("campaigns:list")).content.decode()
    detail = viewer_client.get(campaign.get_absolute_url()).content.decode()

    assert campaign.name in listing
    assert reverse("campaigns:create") not in listing
    assert reverse("campaigns:edit", args=[campaign.pk]) not in detail
    assert reverse("partnerships:create") not in detail


def test_detail_lists_partnerships_with_due_dates_and_costs(marketer_client, marketer):
    campaign = CampaignFactory()
    partnership = make_partnership(by=marketer, campaign=campaign)

    response = marketer_client.get(campaign.get_absolute_url())

    html = response.content.decode()
    assert reverse("partnerships:detail", args=[partnership.pk]) in html
    assert partnership.influencer.name in html
    assert "15 Dec 2026" in html
    assert "MYR 1,500.00" in html


# --- Money ---------------------------------------------------------------------------


@pytest.fixture
def accepted_partnership(marketer, influencer_user):
    """Cash 1,500.00 + 3 × 40.00 product, accepted, with 12.50 of shipping."""
    campaign = CampaignFactory(budget=Decimal("5000.00"))
    channel = ChannelFactory(influencer__user=influencer_user)
    partnership = make_partnership(by=marketer, campaign=campaign, channel=channel)
    version = partnership.versions.get()
    terms_services.terms_save(
        version=version,
        by=marketer,
        data=terms_services.TermsInput(
            fields={},
            deliverables=[
                {"channel": channel, "format": "reel", "quantity": 2, "due_on": campaign.starts_on}
            ],
            compensation=[
                {"kind": "cash", "amount": Decimal("1500.00"), "currency": "MYR"},
                {
                    "kind": "product",
                    "description": "Gift box",
                    "quantity": 3,
                    "cost_of_goods": Decimal("40.00"),
                    "currency": "MYR",
                },
            ],
            kpis=[],
        ),
    )
    terms_services.terms_propose(version=version, by=marketer)
    terms_services.terms_accept(version=version, by=influencer_user, ip=None, user_agent="")
    Shipment.objects.create(
        partnership=partnership, item="Gift box", quantity=3, shipping_cost=Decimal("12.50")
    )
    return partnership


def test_committed_paid_and_outstanding_are_exact_decimals(accepted_partnership, marketer):
    campaign = accepted_partnership.campaign
    make_partnership(by=marketer, campaign=campaign)  # draft: committed, nothing paid
    cancelled = make_partnership(by=marketer, campaign=campaign)
    partnership_services.partnership_transition(
        partnership=cancelled, to_status=Partnership.Status.CANCELLED, by=marketer, reason="No fit"
    )
    Payment.objects.create(
        partnership=accepted_partnership, kind="commission", amount=Decimal("7.25")
    )
    Payment.objects.create(partnership=accepted_partnership, kind="cash", amount=Decimal("999"))

    summary = campaign_budget(campaign)

    # 1500 + 3 × 40 + 12.50 + 7.25 commission, plus the draft's 1500; not the cancelled
    assert summary.committed == Decimal("3139.75")
    assert summary.paid == Decimal("1006.25")  # every payment: 999 cash + 7.25 commission
    assert summary.outstanding_total == Decimal("2133.50")
    assert summary.overpaid_total == Decimal("0.00")
    assert summary.remaining == Decimal("1860.25")
    assert summary.committed_percent == 62
    figures = (summary.committed, summary.paid, summary.outstanding_total, summary.remaining)
    assert all(isinstance(v, Decimal) for v in figures)


def test_budget_card_shows_the_numbers(accepted_partnership, marketer_client):
    response = marketer_client.get(accepted_partnership.campaign.get_absolute_url())

    html = response.content.decode()
    assert "MYR 5,000.00" in html
    assert "data-committed>MYR 1,632.50<" in html
    assert "data-paid>MYR 0.00<" in html  # the parcel is still being prepared
    assert "data-outstanding>MYR 1,632.50<" in html
    assert "MYR 3,367.50" in html
    assert '<progress id="budget-progress" class="w-100" value="1632.50" max="5000.00">' in html


def test_committed_counts_the_terms_in_force_not_a_pending_change(accepted_partnership, marketer):
    draft = terms_services.terms_open_draft(
        partnership=accepted_partnership, by=marketer, based_on=1
    )
    terms_services.terms_save(
        version=draft,
        by=marketer,
        data=terms_services.TermsInput(
            fields={},
            deliverables=[
                {
                    "channel": accepted_partnership.influencer.channels.get(),
                    "format": "post",
                    "quantity": 5,
                    "due_on": datetime.date(2027, 1, 10),
                }
            ],
            compensation=[{"kind": "cash", "amount": Decimal("4000.00"), "currency": "MYR"}],
            kpis=[],
        ),
    )
    terms_services.terms_propose(version=draft, by=marketer)

    summary = campaign_budget(accepted_partnership.campaign, today=datetime.date(2026, 12, 20))

    assert summary.committed == Decimal("1632.50")
    assert summary.paid == Decimal("0.00")
    (row,) = summary.rows
    assert row.deliverable_count == 5  # the table shows what is being agreed now
    assert row.next_due_on == datetime.date(2027, 1, 10)


def test_next_due_shows_an_overdue_date_while_pieces_are_missing(
    accepted_partnership, marketer_client
):
    from partnerships.models import Submission

    campaign = accepted_partnership.campaign
    deliverable = accepted_partnership.versions.get().deliverables.get()  # 2 reels
    late = campaign.starts_on + datetime.timedelta(days=5)

    def row():
        (row,) = campaign_budget(campaign, today=late).rows
        return row.next_due_on, row.next_due_overdue

    assert row() == (campaign.starts_on, True)
    for piece, status in ((1, "approved"), (2, "needs_fix")):
        Submission.objects.create(
            partnership=accepted_partnership,
            deliverable=deliverable,
            piece=piece,
            status=status,
            post_url=f"https://www.instagram.com/reel/{piece}/",
            submitted_by=accepted_partnership.influencer.user,
        )
    assert row() == (campaign.starts_on, True)  # a piece sent back for a fix is missing
    Submission.objects.filter(piece=2).update(status="submitted")
    assert row() == (None, False)  # all handed in: nothing is due

    Submission.objects.filter(piece=2).update(status="needs_fix")
    with pytest.MonkeyPatch.context() as mp:
        from django.utils import timezone

        mp.setattr(timezone, "localdate", lambda *a: late)
        html = marketer_client.get(campaign.get_absolute_url()).content.decode()
    assert "overdue · " in html


# --- Access --------------------------------------------------------------------------


def test_viewer_cannot_create_or_edit(viewer_client):
    campaign = CampaignFactory(name="Untouched")

    assert viewer_client.get(reverse("campaigns:create")).status_code == 403
    assert viewer_client.post(reverse("campaigns:create"), form_data()).status_code == 403
    edit = reverse("campaigns:edit", args=[campaign.pk])
    assert viewer_client.get(edit).status_code == 403
    assert viewer_client.post(edit, form_data(name="Changed")).status_code == 403

    assert Campaign.objects.get().name == "Untouched"


@pytest.mark.parametrize("method", ["get", "post"])
def test_influencers_get_403_on_every_campaign_url(influencer_client, method):
    campaign = CampaignFactory()
    urls = [
        reverse("campaigns:list"),
        reverse("campaigns:create"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:edit", args=[campaign.pk]),
    ]
    for url in urls:
        assert getattr(influencer_client, method)(url).status_code == 403, url
    assert Campaign.objects.count() == 1


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client):
    campaign = CampaignFactory()
    for url in [
        reverse("campaigns:list"),
        reverse("campaigns:create"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:edit", args=[campaign.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login")), url


def test_missing_campaign_is_404(marketer_client):
    assert marketer_client.get(reverse("campaigns:detail", args=[999999])).status_code == 404
    assert marketer_client.get(reverse("campaigns:edit", args=[999999])).status_code == 404


# --- Query counts --------------------------------------------------------------------

# Session, user and the session save of the first view after login (1 + 2 savepoints), then
# the campaign, its partnerships and one query each for versions (with acceptances),
# deliverables, compensation, shipments, payments and submissions (overdue "Next due").
DETAIL_QUERIES = 13
# Session and user, the paginator's count, the campaigns with their partnership counts.
LIST_QUERIES = 7


@pytest.mark.parametrize("partnerships", [2, 8])
def test_detail_query_count_does_not_grow_with_partnerships(
    marketer_client, marketer, django_assert_num_queries, partnerships
):
    campaign = CampaignFactory()
    for _ in range(partnerships):
        make_partnership(by=marketer, campaign=campaign)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = marketer_client.get(campaign.get_absolute_url())
    assert len(response.context["summary"].rows) == partnerships


@pytest.mark.parametrize("partnerships", [2, 15])
def test_detail_query_count_stays_with_many_partnerships_paid_and_shipped(
    marketer_client, marketer, django_assert_num_queries, partnerships
):
    """Payments of every kind, in two currencies, and parcels on every partnership."""
    campaign = CampaignFactory()
    for _ in range(partnerships):
        partnership = make_partnership(by=marketer, campaign=campaign)
        Shipment.objects.create(partnership=partnership, item="Box", value=Decimal("30"))
        for kind, currency in [("cash", "MYR"), ("bonus", "MYR"), ("commission", "USD")]:
            Payment.objects.create(
                partnership=partnership, kind=kind, amount=Decimal("10"), currency=currency
            )

    with django_assert_num_queries(DETAIL_QUERIES):
        response = marketer_client.get(campaign.get_absolute_url())
    summary = response.context["summary"]
    assert len(summary.rows) == partnerships
    assert summary.committed == partnerships * Decimal("1540.00")
    assert summary.paid == partnerships * Decimal("20.00")
    assert summary.others["USD"].paid == partnerships * Decimal("10.00")


def test_a_big_campaign_lists_its_partnerships_a_page_at_a_time_and_sums_them_all(
    marketer_client, marketer
):
    from partnerships.templatetags.campaign_partnerships import ROWS_PER_PAGE

    campaign = CampaignFactory()
    for _ in range(ROWS_PER_PAGE + 2):
        make_partnership(by=marketer, campaign=campaign)

    response = marketer_client.get(campaign.get_absolute_url())
    body = response.content.decode()
    assert body.count("data-row-committed") == ROWS_PER_PAGE
    assert len(response.context["summary"].rows) == ROWS_PER_PAGE + 2
    assert "Page 1 of 2" in body

    body = marketer_client.get(campaign.get_absolute_url() + "?page=2").content.decode()
    assert body.count("data-row-committed") == 2


@pytest.mark.parametrize("campaigns", [3, 12])
def test_list_query_count_does_not_grow_with_campaigns(
    marketer_client, marketer, django_assert_num_queries, campaigns
):
    for campaign in CampaignFactory.create_batch(campaigns):
        make_partnership(by=marketer, campaign=campaign)

    with django_assert_num_queries(LIST_QUERIES):
        response = marketer_client.get(reverse("campaigns:list"))
    assert len(response.context["page"].object_list) == campaigns


def test_campaign_page_embeds_chart_data_for_live_partnerships(marketer_client, marketer):
    import json
    import re

    from partnerships import services
    from tests.factories import CampaignFactory, make_partnership

    campaign = CampaignFactory()
    kept = [make_partnership(by=marketer, campaign=campaign) for _ in range(2)]
    dropped = make_partnership(by=marketer, campaign=campaign)
    services.partnership_transition(
        partnership=dropped, to_status="cancelled", by=marketer, reason="Budget cut"
    )

    body = marketer_client.get(campaign.get_absolute_url()).content.decode()

    raw = re.search(r'<script id="cost-chart-data" type="application/json">(.*?)</script>', body)
    data = json.loads(raw.group(1))
    assert sorted(data["labels"]) == sorted(p.influencer.name for p in kept)
    assert data["values"] == ["1500.00", "1500.00"]  # strings: money never becomes a float
    assert data["currency"] == "MYR"


def test_a_bad_default_term_is_refused_and_nothing_is_saved(marketer_client):
    response = marketer_client.post(reverse("campaigns:create"), form_data(payment_net_days="400"))

    assert response.status_code == 200
    assert "payment_net_days" in response.context["terms_form"].errors
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_the_service_saves_the_campaign_and_its_default_terms_together(marketer):
    with pytest.raises(ValidationError):
        services.campaign_create(
            by=marketer, default_terms={"payment_net_days": 400}, **_service_fields()
        )
    assert not Campaign.objects.exists()

    campaign = services.campaign_create(by=marketer, **_service_fields())
    assert campaign.default_terms.disclosure_rule == "#ad"  # the fields' own defaults
    services.campaign_update(campaign=campaign, by=marketer, default_terms={"usage_days": 30})
    assert Campaign.objects.get().default_terms.usage_days == 30
