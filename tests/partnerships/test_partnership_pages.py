import pytest
from django.urls import get_resolver, reverse

from partnerships.models import Partnership
from partnerships.terms import services as terms_services
from tests.factories import CampaignFactory, make_partnership


def test_marketer_creates_a_partnership_from_a_campaign(marketer_client, marketer, influencer):
    campaign = CampaignFactory(default_terms={"disclosure_rule": "#iklan"})
    response = marketer_client.post(
        reverse("partnerships:create"), {"campaign": campaign.pk, "influencer": influencer.pk}
    )
    partnership = Partnership.objects.get(campaign=campaign, influencer=influencer)
    assert response["Location"] == partnership.get_absolute_url()
    assert partnership.owner == marketer
    assert partnership.versions.get().disclosure_rule == "#iklan"


def test_a_second_partnership_in_the_same_campaign_is_refused(marketer_client, partnership):
    response = marketer_client.post(
        reverse("partnerships:create"),
        {"campaign": partnership.campaign.pk, "influencer": partnership.influencer.pk},
    )
    assert response.status_code == 200
    assert "is already in" in response.content.decode()
    assert Partnership.objects.count() == 1


def test_detail_shows_terms_versions_and_cost(marketer_client, partnership):
    body = marketer_client.get(partnership.get_absolute_url()).content.decode()
    assert "2 × Reel" in body
    assert "MYR 1,500.00" in body
    assert "Propose version 1" in body
    assert 'data-version="1"' in body


def test_status_select_preselects_nothing(marketer_client, partnership):
    body = marketer_client.get(partnership.get_absolute_url()).content.decode()
    assert '<option value="" selected>' in body
    assert '<option value="cancelled">' in body


def test_cancelling_asks_for_confirmation_first(marketer_client, partnership):
    response = marketer_client.post(
        reverse("partnerships:transition", args=[partnership.pk]), {"status": "cancelled"}
    )
    assert response.status_code == 200
    assert "Cancel this partnership?" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == "draft"


def test_confirming_without_a_reason_asks_again(marketer_client, partnership):
    response = marketer_client.post(
        reverse("partnerships:transition", args=[partnership.pk]),
        {"status": "cancelled", "confirmed": "True", "reason": " "},
    )
    assert response.status_code == 200
    assert "Write a reason first." in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == "draft"


def test_status_change_through_the_page(marketer_client, partnership):
    response = marketer_client.post(
        reverse("partnerships:transition", args=[partnership.pk]),
        {"status": "cancelled", "confirmed": "True", "reason": "Brand paused the campaign"},
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == "cancelled"
    assert partnership.history.latest().history_change_reason == "Brand paused the campaign"


def test_reopen_through_the_page(marketer_client, partnership):
    Partnership.objects.filter(pk=partnership.pk).update(status="cancelled")
    body = marketer_client.get(partnership.get_absolute_url()).content.decode()
    assert "Reopen as a new draft" in body
    response = marketer_client.post(reverse("partnerships:reopen", args=[partnership.pk]))
    reopened = Partnership.objects.exclude(pk=partnership.pk).get()
    assert response["Location"] == reopened.get_absolute_url()
    assert reopened.status == "draft"


def test_an_illegal_status_change_is_explained(marketer_client, partnership):
    response = marketer_client.post(
        reverse("partnerships:transition", args=[partnership.pk]),
        {"status": "completed"},
        follow=True,
    )
    assert "not possible" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == "draft"


def test_renew_is_not_offered_before_acceptance(marketer_client, partnership):
    body = marketer_client.get(partnership.get_absolute_url()).content.decode()
    assert "data-renew-unavailable" in body
    assert reverse("partnerships:renew", args=[partnership.pk]) not in body


def test_renew_through_the_page(marketer_client, partnership, marketer, influencer_user):
    version = terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    terms_services.terms_accept(version=version, by=influencer_user, ip=None, user_agent="")
    later = CampaignFactory(name="Merdeka 2027")
    body = marketer_client.get(partnership.get_absolute_url()).content.decode()
    assert reverse("partnerships:renew", args=[partnership.pk]) in body
    response = marketer_client.post(
        reverse("partnerships:renew", args=[partnership.pk]), {"campaign": later.pk}
    )
    renewal = Partnership.objects.get(campaign=later)
    assert response["Location"] == renewal.get_absolute_url()
    assert renewal.renewed_from == partnership


@pytest.mark.parametrize("count", [2, 6])
def test_detail_query_count_does_not_grow(
    marketer_client, marketer, influencer, django_assert_num_queries, count
):
    partnership = make_partnership(by=marketer, channel=influencer.channels.get())
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    for number in range(2, count + 1):
        terms_services.terms_open_draft(partnership=partnership, by=marketer, based_on=number - 1)
        terms_services.terms_propose(version=partnership.versions.get(number=number), by=marketer)
    # 15: never accepted, so the renew form's campaign list is not asked for; shipments
    # and payments are read once for the cost and the lists; one for the published posts,
    # one for the tracked links with their click counts and one for the KPI targets in
    # force (metrics' panels); one for the shop orders attributed (shop's sales panel:
    # with none, nothing more).
    with django_assert_num_queries(18):
        response = marketer_client.get(partnership.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 12])
def test_list_query_count_does_not_grow(
    marketer_client, marketer, django_assert_num_queries, count
):
    for _ in range(count):
        make_partnership(by=marketer)
    with django_assert_num_queries(9):
        marketer_client.get(reverse("partnerships:list"))


# --- Access ------------------------------------------------------------------------


def every_url(partnership) -> list[str]:
    urls = []
    for pattern in get_resolver("partnerships.urls").url_patterns:
        route = str(pattern.pattern)
        kwargs = {}
        if "<int:pk>" in route:
            kwargs["pk"] = partnership.pk
        if "<int:number>" in route:
            kwargs["number"] = 1
        for name in ("shipment_pk", "submission_pk", "follow_up_pk"):
            if f"<int:{name}>" in route:
                kwargs[name] = 1
        urls.append(reverse(f"partnerships:{pattern.name}", kwargs=kwargs))
    return urls


def test_influencer_users_are_refused_every_marketer_page(influencer_client, partnership):
    # Even for their own partnership: the portal is their door, not these pages.
    for url in every_url(partnership):
        assert influencer_client.get(url).status_code == 403, url
        assert influencer_client.post(url, {}).status_code == 403, url


def test_viewer_reads_but_cannot_change(viewer_client, partnership):
    assert viewer_client.get(partnership.get_absolute_url()).status_code == 200
    for name, data in [
        ("transition", {"status": "cancelled"}),
        ("reopen", {}),
        ("renew", {"campaign": CampaignFactory().pk}),
        ("terms_propose", {}),
        ("terms_edit", {}),
        ("shipment_add", {"item": "Mug"}),
        ("payment_add", {"kind": "cash", "amount": "1"}),
    ]:
        url = reverse(f"partnerships:{name}", args=[partnership.pk])
        assert viewer_client.post(url, data).status_code == 403, name
    partnership.refresh_from_db()
    assert partnership.status == "draft"
    assert Partnership.objects.count() == 1
    assert not partnership.shipments.exists() and not partnership.payments.exists()


def test_viewer_sees_no_buttons(viewer_client, partnership):
    body = viewer_client.get(partnership.get_absolute_url()).content.decode()
    assert "Propose version" not in body and "Renew" not in body


def test_missing_partnership_is_404(marketer_client, db):
    assert marketer_client.get(reverse("partnerships:detail", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, partnership):
    response = client.get(partnership.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
