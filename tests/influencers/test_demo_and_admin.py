"""The demo roster, and the admin over it: lists without N+1 queries, history read-only.

Every test here runs over the demo data, seeded once per session (the `demo` fixture);
seeding twice is checked once for every table in tests/accounts/test_demo_data.py.
"""

import pytest
from django.urls import reverse

from accounts.models import User
from influencers.models import Channel, Influencer, Stage, StageChange

pytestmark = pytest.mark.usefixtures("demo")


def test_demo_roster_has_at_least_35_influencers():
    assert Influencer.objects.count() >= 35


def test_seed_demo_covers_every_stage_and_most_platforms():
    stages = set(Influencer.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    platforms = set(Channel.objects.values_list("platform", flat=True))
    assert len(platforms) >= 6
    assert Influencer.objects.filter(channels=None).count() == 0


def test_seed_demo_walks_the_pipeline_in_order():
    alumni = Influencer.objects.filter(stage=Stage.ALUMNI).first()
    history = list(alumni.stage_changes.order_by("pk").values_list("from_stage", "to_stage"))
    assert history == [
        ("", "prospect"),
        ("prospect", "researched"),
        ("researched", "pitched"),
        ("pitched", "negotiating"),
        ("negotiating", "active"),
        ("active", "alumni"),
    ]
    assert alumni.research_checks.filter(done=True).count() == 5


@pytest.mark.parametrize(
    ("email", "name"),
    [("influencer@example.com", "Nurul Izzah"), ("influencer2@example.com", "Jason Lim")],
)
def test_portal_influencers_are_linked_to_their_logins(email, name):
    influencer = Influencer.objects.select_related("user").get(email=email)
    assert influencer.name == name
    assert influencer.stage == Stage.ACTIVE
    assert influencer.user == User.objects.get(email=email)


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser(email="root@brand.test", password="x-pass-123")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["influencer", "channel", "stagechange", "researchcheck"])
def test_admin_changelist_query_count_does_not_grow_with_rows(
    superuser_client, django_assert_max_num_queries, model
):
    # 40 influencers and 150+ stage changes on one page: an N+1 would blow well past this.
    with django_assert_max_num_queries(12):
        response = superuser_client.get(reverse(f"admin:influencers_{model}_changelist"))
    assert response.status_code == 200


def test_admin_influencer_form_shows_stage_read_only(superuser_client):
    influencer = Influencer.objects.get(email="influencer@example.com")
    response = superuser_client.get(
        reverse("admin:influencers_influencer_change", args=[influencer.pk])
    )
    assert response.status_code == 200
    assert 'name="stage"' not in response.content.decode()


def test_stage_history_cannot_be_added_or_edited_in_admin(superuser_client):
    change = StageChange.objects.exclude(to_stage=Stage.ALUMNI).first()
    assert superuser_client.get(reverse("admin:influencers_stagechange_add")).status_code == 403
    response = superuser_client.post(
        reverse("admin:influencers_stagechange_change", args=[change.pk]), {"to_stage": "alumni"}
    )
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.to_stage != Stage.ALUMNI


def test_adding_an_influencer_in_admin_records_the_first_stage(superuser_client):
    response = superuser_client.post(
        reverse("admin:influencers_influencer_add"),
        {
            "name": "Lina Admin",
            "email": "lina@example.net",
            "languages": "malay",
            "niches": "food",
            "channels-TOTAL_FORMS": "1",
            "channels-INITIAL_FORMS": "0",
            "channels-0-platform": "instagram",
            "channels-0-handle": "https://www.instagram.com/Lina.Eats/?igsh=abc",
            "channels-0-followers_source": "manual",
            "research_checks-TOTAL_FORMS": "0",
            "research_checks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    influencer = Influencer.objects.get(email="lina@example.net")
    assert list(influencer.stage_changes.values_list("from_stage", "to_stage")) == [
        ("", "prospect")
    ]
    channel = influencer.channels.get()
    assert (channel.handle, channel.profile_url) == (
        "lina.eats",
        "https://www.instagram.com/lina.eats/",
    )
