"""The disclosure check: captions against the rule of the terms in force, and the flag
on the partnership page, on the portal and in "My day"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from metrics.models import Post
from metrics.posts import disclosure
from metrics.posts.services import post_add
from tests.factories import make_accepted_partnership


@pytest.mark.parametrize(
    ("caption", "rule", "paid_label", "missed"),
    [
        ("Loving this mug #ad", "#ad", None, ""),
        ("Loving this mug #AD", "#ad", None, ""),  # case
        ("Loving this mug #Ad", "#ad or #iklan", None, ""),
        ("Sarapan pagi #iklan #kopi", "#ad or #iklan", None, ""),
        ("Sarapan pagi #IKLAN", "#Iklan", None, ""),
        ("Kopi pagi ＃ad", "#ad", None, ""),  # full-width hash (NFKC)
        ("Café crème #publicité", "#publicité", None, ""),  # unicode hashtag
        ("Café crème #PUBLICITÉ", "#publicité", None, ""),
        ("广告 #广告 咖啡", "#广告", None, ""),
        ("Morning #ad, with coffee and friends", "#ad", None, ""),  # rule in the middle
        ("Morning\n#ad\nwith coffee", "#ad", None, ""),
        ("An #adventure in coffee", "#ad", None, "#ad"),  # not a whole hashtag
        ("A sponsored post, ad", "#ad", None, "#ad"),  # the word without its hash
        ("Weekend vibes", "#ad or #iklan", None, "#ad or #iklan"),  # rule absent
        ("Weekend vibes", "#ad or the paid-partnership label", True, ""),  # label only
        (
            "Weekend vibes",
            "#ad or the paid-partnership label",
            False,
            "#ad or the paid-partnership label",
        ),
        (
            "Weekend vibes",
            "#ad or the paid-partnership label",
            None,
            "#ad or the paid-partnership label",
        ),
        ("Weekend vibes", "#ad", True, "#ad"),  # the label does not stand for a hashtag
        # A rule of the label alone: judged only where the platform tells.
        ("Weekend vibes", "The paid-partnership label", True, ""),
        ("Weekend vibes", "The paid-partnership label", False, "The paid-partnership label"),
        ("Weekend vibes", "The paid-partnership label", None, ""),
        ("Weekend vibes #ad", "The paid-partnership label", False, "The paid-partnership label"),
        ("Weekend vibes", "", None, ""),  # no rule: no flag
        ("Weekend vibes", "   ", None, ""),
        ("Weekend vibes", "Disclose clearly", None, ""),  # nothing a machine can check
        ("", "#ad", None, ""),  # no caption captured yet: not judged
    ],
)
def test_captions(caption, rule, paid_label, missed):
    assert disclosure.missed(caption, rule, paid_label=paid_label) == missed


def accepted_with_rule(marketer, user, rule):
    """A partnership whose v1, with this disclosure rule, the influencer accepted."""
    return make_accepted_partnership(
        marketer, user, "Ina Creator", fields={"disclosure_rule": rule}, compensation=[], kpis=[]
    )


@pytest.fixture
def partnership(marketer, influencer_user):
    return accepted_with_rule(marketer, influencer_user, "#ad or #iklan")


def add_post(partnership, marketer, n, caption):
    post = post_add(
        partnership=partnership, by=marketer, url=f"https://www.instagram.com/p/Cpost{n:04d}/",
        published_on=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    Post.objects.filter(pk=post.pk).update(caption=caption)
    return post


def test_flagged_on_the_partnership_page_the_portal_and_my_day(
    partnership, marketer, influencer_user, django_assert_max_num_queries
):
    from django.test import Client

    bad = add_post(partnership, marketer, 1, "Weekend vibes with my new mug")
    add_post(partnership, marketer, 2, "Weekend vibes #iklan")
    brand, creator = Client(), Client()
    brand.force_login(marketer)
    creator.force_login(influencer_user)
    page = brand.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert page.count("data-disclosure-missing") == 1
    assert "misses the disclosure the terms ask for: #ad or #iklan" in page
    portal = creator.get(reverse("portal:partnership", args=[partnership.pk])).content.decode()
    assert portal.count("data-disclosure-missing") == 1
    home = creator.get(reverse("portal:home")).content.decode()
    assert f"Your post {bad.platform_post_id} misses the disclosure" in home
    for n in range(3, 8):
        add_post(partnership, marketer, n, "no tag here")
    with django_assert_max_num_queries(40):
        day = brand.get(reverse("home")).content.decode()
    assert "Posts missing their disclosure" in day
    assert day.count("data-disclosure=") == 6


def test_no_flag_where_the_terms_set_no_rule_a_machine_can_check(marketer, influencer_user, client):
    partnership = accepted_with_rule(marketer, influencer_user, "Disclose it in words")
    add_post(partnership, marketer, 1, "Weekend vibes")
    client.force_login(marketer)
    page = client.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert "data-disclosure-missing" not in page
    assert "Posts missing their disclosure" not in client.get(reverse("home")).content.decode()
