"""With Redis refused or hung, logging in and the main marketer and portal pages still
answer 200 (or the login's 302), each within two seconds: no page depends on the cache
or the broker. Run on the seeded demo, so every page has data to show."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from demo.accounts import DEMO_PASSWORD as PASSWORD
from influencers.models import Influencer
from partnerships.models import Partnership, TermsVersion
from tests.redis_outage import KINDS, redis_down

pytestmark = pytest.mark.usefixtures("demo")

BOUND = 2.0
MARKETER, INFLUENCER = "marketer@example.com", "influencer@example.com"


def timed_get(client: Client, url: str):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def logged_in(email: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:1000]
    return client


def marketer_pages() -> list[str]:
    influencer = Influencer.objects.order_by("pk").first()
    campaign = Campaign.objects.order_by("pk").first()
    terms = TermsVersion.objects.order_by("pk").first()
    return [
        reverse("home"),
        reverse("influencers:list"),
        reverse("influencers:board"),
        reverse("influencers:detail", args=[influencer.pk]),
        reverse("influencers:import"),
        reverse("campaigns:list"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("partnerships:list"),
        reverse("partnerships:detail", args=[terms.partnership_id]),
        reverse("partnerships:terms_document", args=[terms.partnership_id, terms.number]),
        reverse("partnerships:timeline", args=[influencer.pk]),
    ]


def portal_pages() -> list[str]:
    partnerships = Partnership.objects.filter(influencer__user__email=INFLUENCER)
    terms = TermsVersion.objects.filter(partnership__in=partnerships).order_by("pk").first()
    return [
        reverse("portal:home"),
        reverse("portal:partnership", args=[terms.partnership_id]),
        reverse("portal:terms", args=[terms.partnership_id, terms.number]),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_login_works_within_two_seconds(kind, settings):
    with redis_down(kind, settings):
        started = time.monotonic()
        response = Client().post(reverse("login"), {"username": MARKETER, "password": PASSWORD})
        elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert elapsed < BOUND


@pytest.mark.parametrize("kind", KINDS)
def test_marketer_pages_answer_200_within_two_seconds(kind, settings):
    pages = marketer_pages()
    with redis_down(kind, settings):
        client = logged_in(MARKETER)
        answers = {url: timed_get(client, url) for url in pages}

    assert {url: r.status_code for url, (r, _t) in answers.items()} == dict.fromkeys(pages, 200)
    assert {url: t for url, (_r, t) in answers.items() if t >= BOUND} == {}


@pytest.mark.parametrize("kind", KINDS)
def test_portal_pages_answer_200_within_two_seconds(kind, settings):
    pages = portal_pages()
    with redis_down(kind, settings):
        client = logged_in(INFLUENCER)
        answers = {url: timed_get(client, url) for url in pages}

    assert {url: r.status_code for url, (r, _t) in answers.items()} == dict.fromkeys(pages, 200)
    assert {url: t for url, (_r, t) in answers.items() if t >= BOUND} == {}
