"""Tracked links: UTMs, the /r/<code> redirect, hostile input, and the marketer's pages."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from metrics.links.services import tracked_link_create, tracked_link_disable
from metrics.models import Click, TrackedLink
from partnerships.models import Partnership
from tests.factories import CampaignFactory, ChannelFactory, make_partnership

pytestmark = pytest.mark.django_db

LANDING = "https://kopikita.example/raya?ref=home"


@pytest.fixture
def partnership(marketer):
    channel = ChannelFactory(
        influencer__name="Siti Nurhaliza Tan", platform="instagram", handle="siti.makan"
    )
    return make_partnership(
        by=marketer, channel=channel, campaign=CampaignFactory(utm_campaign="raya_2026")
    )


@pytest.fixture
def link(partnership, marketer):
    return tracked_link_create(partnership=partnership, destination=LANDING, by=marketer)


def query_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_utms_are_built_from_the_partnership(link):
    assert link.target_url.startswith("https://kopikita.example/raya?")
    assert query_of(link.target_url) == {
        "ref": "home",
        "utm_source": "instagram",
        "utm_medium": "influencer",
        "utm_campaign": "raya_2026",
        "utm_content": "siti-nurhaliza-tan-sitimakan",
    }
    assert len(link.code) >= 16


def test_utms_can_be_overridden_and_replace_those_in_the_destination(partnership, marketer):
    link = tracked_link_create(
        partnership=partnership,
        destination="https://kopikita.example/?utm_source=old&x=1",
        utms={"utm_source": "ig_story", "utm_content": ""},
        by=marketer,
    )
    query = query_of(link.target_url)
    assert (query["utm_source"], query["x"], query["utm_medium"]) == ("ig_story", "1", "influencer")
    assert query["utm_content"] == "siti-nurhaliza-tan-sitimakan"  # empty: the default


@pytest.mark.parametrize(
    "destination",
    [
        "javascript:alert(1)",
        "ftp://kopikita.example/file",
        "//evil.example/",
        "kopikita.example",
        "https://kopikita.example/\r\nSet-Cookie: a=b",
        "data:text/html,hi",
        "https://" + "a" * 1000 + ".example/",
    ],
)
def test_destinations_must_be_http_or_https(partnership, marketer, destination):
    with pytest.raises(ValidationError):
        tracked_link_create(partnership=partnership, destination=destination, by=marketer)
    assert not TrackedLink.objects.exists()


def test_a_utm_override_cannot_smuggle_characters(partnership, marketer):
    with pytest.raises(ValidationError):
        tracked_link_create(
            partnership=partnership,
            destination=LANDING,
            utms={"utm_source": "x&next=https://evil.example"},
            by=marketer,
        )


def test_a_channel_of_another_influencer_is_refused(partnership, marketer):
    with pytest.raises(ValidationError):
        tracked_link_create(
            partnership=partnership, destination=LANDING, channel=ChannelFactory(), by=marketer
        )


def test_the_redirect_sends_to_the_target_and_records_the_click(client, link):
    response = client.get(f"/r/{link.code}", HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    assert response.status_code == 302
    assert response["Location"] == link.target_url
    assert "no-store" in response["Cache-Control"]
    click = Click.objects.get()
    assert (click.link, click.kind, len(click.visitor)) == (link, Click.Kind.HUMAN, 32)


def test_unknown_and_disabled_codes_are_404_and_record_nothing(client, link, marketer):
    assert client.get("/r/AAAAAAAAAAAAAAAA").status_code == 404
    tracked_link_disable(link=link, by=marketer)
    response = client.get(f"/r/{link.code}")
    assert response.status_code == 404
    assert "Location" not in response
    assert not Click.objects.exists()


@pytest.mark.parametrize(
    "suffix",
    [
        "?next=//evil.example",
        "?url=https://evil.example&utm_source=evil",
        "?%0d%0aLocation:%20https://evil.example",
        "#//evil.example",
        "?" + "x" * 8000,
    ],
)
def test_nothing_in_the_query_string_changes_the_destination(client, link, suffix):
    response = client.get(f"/r/{link.code}{suffix}")
    assert response.status_code == 302
    assert response["Location"] == link.target_url


@pytest.mark.parametrize(
    "path",
    [
        "/r/{code}%2F%2Fevil.example",
        "/r/{code}/..%2F..%2Fevil.example",
        "/r/{code}%0d%0aSet-Cookie:%20a=b",
        "/r/{code}%0aLocation:%20https://evil.example",
        "/r///evil.example",
        "/r/%2F%2Fevil.example",
        "/r/https:%2F%2Fevil.example",
        "/r/{code}{code}{code}",
        "/r/" + "A" * 5000,
        "/r/{code}/",
        "/r/%00{code}",
        "/r/{code}%00",
        "/r/../admin/",
    ],
)
def test_hostile_codes_are_404_and_never_redirect(client, link, path):
    response = client.get(path.format(code=link.code))
    assert response.status_code in (404, 400), response.status_code
    assert "Location" not in response
    assert not Click.objects.exists()


def test_other_methods_are_refused(client, link):
    assert client.post(f"/r/{link.code}").status_code == 405
    assert not Click.objects.exists()


# --- The marketer's pages -------------------------------------------------------------


def test_an_editor_creates_a_link_and_sees_it_on_the_partnership_page(marketer_client, partnership):
    url = reverse("metrics:link_add", args=[partnership.pk])
    form = marketer_client.get(url)
    assert form.status_code == 200
    token = form.context["form"]["submit_token"].value()
    response = marketer_client.post(
        url, {"destination": LANDING, "label": "Bio link", "submit_token": token}
    )
    assert response.status_code == 302
    link = TrackedLink.objects.get()
    assert (link.partnership, link.label, link.created_by.email) == (
        partnership,
        "Bio link",
        "admin@brand.test",
    )
    page = marketer_client.get(partnership.get_absolute_url()).content.decode()
    assert f"/r/{link.code}" in page and "Bio link" in page
    assert reverse("metrics:link_disable", args=[link.pk]) in page


def test_a_bad_destination_shows_on_the_form(marketer_client, partnership):
    url = reverse("metrics:link_add", args=[partnership.pk])
    response = marketer_client.post(url, {"destination": "javascript:alert(1)"})
    assert response.status_code == 200
    assert response.context["form"].errors["destination"]
    assert not TrackedLink.objects.exists()


def test_an_editor_disables_a_link(marketer_client, link):
    response = marketer_client.post(reverse("metrics:link_disable", args=[link.pk]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert not link.is_active and link.disabled_at is not None


def test_a_viewer_reads_the_links_but_cannot_create_or_disable(viewer_client, link):
    page = viewer_client.get(link.partnership.get_absolute_url()).content.decode()
    assert f"/r/{link.code}" in page
    assert reverse("metrics:link_disable", args=[link.pk]) not in page
    add = reverse("metrics:link_add", args=[link.partnership_id])
    assert viewer_client.get(add).status_code == 403
    assert viewer_client.post(reverse("metrics:link_disable", args=[link.pk])).status_code == 403
    link.refresh_from_db()
    assert link.is_active


def test_an_influencer_gets_403(influencer_client, link):
    disable = reverse("metrics:link_disable", args=[link.pk])
    assert influencer_client.post(disable).status_code == 403
    add = reverse("metrics:link_add", args=[link.partnership_id])
    assert influencer_client.get(add).status_code == 403


def test_a_missing_link_or_partnership_is_404(marketer_client, link):
    assert marketer_client.post(reverse("metrics:link_disable", args=[999999])).status_code == 404
    assert marketer_client.get(reverse("metrics:link_add", args=[999999])).status_code == 404


@pytest.mark.parametrize("links", [1, 5])
def test_the_links_panel_costs_one_query_however_many_links(
    marketer_client, marketer, partnership, django_assert_num_queries, links
):
    for _ in range(links):
        tracked_link_create(partnership=partnership, destination=LANDING, by=marketer)
    # The page's 18 of tests/partnerships/test_partnership_pages.py (the renew form's
    # campaign list is skipped likewise, never accepted): the panel is one of them.
    with django_assert_num_queries(18):
        marketer_client.get(partnership.get_absolute_url())


def test_the_admin_shows_links_clicks_and_records_read_only(admin_client, client, link):
    client.get(f"/r/{link.code}")
    for model in ("trackedlink", "click", "metricrecord"):
        assert admin_client.get(reverse(f"admin:metrics_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:metrics_trackedlink_add")).status_code == 403
    change = reverse("admin:metrics_trackedlink_change", args=[link.pk])
    response = admin_client.post(change, {"destination": "https://evil.example/"})
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.destination == LANDING


def test_a_partnership_closed_without_a_deal_gets_no_new_link(partnership, marketer):
    Partnership.objects.filter(pk=partnership.pk).update(status=Partnership.Status.CANCELLED)
    partnership.refresh_from_db()
    with pytest.raises(ValidationError, match="without a deal"):
        tracked_link_create(partnership=partnership, destination=LANDING, by=marketer)


def test_a_link_for_one_channel_is_tagged_with_that_channel(partnership, marketer):
    youtube = ChannelFactory(
        influencer=partnership.influencer,
        platform="youtube",
        handle="SitiCooks",
        profile_url="https://www.youtube.com/@SitiCooks",
    )
    link = tracked_link_create(
        partnership=partnership, destination=LANDING, channel=youtube, by=marketer
    )
    query = query_of(link.target_url)
    assert (query["utm_source"], query["utm_content"]) == (
        "youtube",
        "siti-nurhaliza-tan-siticooks",
    )
