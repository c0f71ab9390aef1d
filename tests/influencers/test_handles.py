"""Normalisation and validation of handles, table-driven, hostile input included."""

import pytest
from django.core.exceptions import ValidationError

from influencers.handles import normalise, validate_post_url

SAME_CHANNEL = [
    ("instagram", "@Name", "name", "https://www.instagram.com/name/"),
    ("instagram", "name", "name", "https://www.instagram.com/name/"),
    ("instagram", "instagram.com/name/", "name", "https://www.instagram.com/name/"),
    ("instagram", "https://www.instagram.com/name?igsh=abc123", "name", None),
    ("instagram", "http://m.instagram.com/Name/#top", "name", None),
    ("instagram", " @nurul.eats ", "nurul.eats", None),
    ("tiktok", "@Chef_Ana", "chef_ana", "https://www.tiktok.com/@chef_ana"),
    ("tiktok", "https://www.tiktok.com/@chef_ana?lang=en", "chef_ana", None),
    ("youtube", "@NurulEats", "nuruleats", "https://www.youtube.com/@nuruleats"),
    ("youtube", "https://www.youtube.com/@NurulEats/videos", "nuruleats", None),
    (
        "youtube",
        "https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw",
    ),
    ("x", "@Jason_Lim", "jason_lim", "https://x.com/jason_lim"),
    ("x", "https://twitter.com/jason_lim", "jason_lim", "https://x.com/jason_lim"),
    ("facebook", "facebook.com/nurul.eats.official", "nurul.eats.official", None),
    (
        "facebook",
        "https://www.facebook.com/profile.php?id=100012345678",
        "100012345678",
        "https://www.facebook.com/profile.php?id=100012345678",
    ),
    ("blog", "https://www.NurulEats.my/", "nuruleats.my", "https://nuruleats.my/"),
    ("blog", "nuruleats.my", "nuruleats.my", "https://nuruleats.my/"),
    (
        "podcast",
        "https://podcasts.example.com/show/makan-talk",
        "podcasts.example.com/show/makan-talk",
        None,
    ),
    ("newsletter", "https://nurul.substack.com", "nurul.substack.com", None),
]


@pytest.mark.parametrize(("platform", "raw", "handle", "url"), SAME_CHANNEL)
def test_spellings_of_one_channel_normalise_to_one_handle(platform, raw, handle, url):
    result = normalise(platform, raw)
    assert result.handle == handle
    if url:
        assert result.url == url


REJECTED = [
    ("instagram", "", "Enter a handle"),
    ("instagram", "a" * 10_000, "too long"),
    ("instagram", "x" * 31, "not a valid handle"),
    ("instagram", "nаme", "look-alike"),  # Cyrillic "а"
    ("instagram", "ｎａｍｅ", "look-alike"),  # full-width letters
    ("instagram", "na me", "look-alike"),
    ("instagram", "name\u200b", "look-alike"),  # zero-width space
    ("instagram", "javascript:alert(1)", "Only http and https"),
    ("instagram", "JavaScript://instagram.com/%0aalert(1)", "Only http and https"),
    ("instagram", "data:text/html,hi", "Only http and https"),
    ("instagram", "https://evil.example/name", "not a link to this platform"),
    ("instagram", "https://instagram.com.evil.example/name", "not a link to this platform"),
    ("instagram", "https://www.instagram.com/p/Cx123/", "not to a single post"),
    ("instagram", "https://user:pw@instagram.com/name", "user name or password"),
    ("instagram", "na..me", "not a valid handle"),
    ("instagram", "<script>", "not a valid handle"),
    ("tiktok", "https://www.tiktok.com/chef_ana", "tiktok.com/@name"),
    ("tiktok", "a", "not a valid handle"),
    ("youtube", "https://www.youtube.com/watch?v=abc", "not to a single post"),
    ("youtube", "https://www.youtube.com/channel/UCshort", "channel id"),
    ("x", "this_handle_is_far_too_long", "not a valid handle"),
    ("facebook", "abc", "not a valid handle"),
    ("blog", "javascript:alert(document.cookie)", "Only http and https"),
    ("blog", "ftp://files.example.com/x", "Only http and https"),
    ("blog", "https://localhost", "no valid web address"),
    ("blog", "just words", "look-alike"),
]


@pytest.mark.parametrize(("platform", "raw", "message"), REJECTED)
def test_bad_handles_are_rejected_with_a_clear_message(platform, raw, message):
    with pytest.raises(ValidationError) as caught:
        normalise(platform, raw)
    assert message in caught.value.messages[0]


@pytest.mark.parametrize(
    ("platform", "url", "ok"),
    [
        ("instagram", "https://www.instagram.com/reel/Cx123/", True),
        ("instagram", "https://www.tiktok.com/@x/video/1", False),
        ("youtube", "https://youtu.be/1zagQpB_c0M", True),
        ("tiktok", "javascript:alert(1)", False),
        ("tiktok", "https://www.tiktok.com/@x/video/" + "1" * 600, False),
        ("blog", "https://nuruleats.my/2026/review", True),
    ],
)
def test_post_links_must_be_on_the_platform(platform, url, ok):
    if ok:
        assert validate_post_url(platform, url) == url
    else:
        with pytest.raises(ValidationError):
            validate_post_url(platform, url)


def test_an_email_taken_in_another_case_is_an_error_on_the_email_field(db):
    """The rule is a database constraint on lower(email); full_clean (admin, forms,
    services) reports it on the field, not as a general "constraint violated"."""
    from django.core.exceptions import ValidationError

    from influencers.models import Influencer
    from tests.factories import InfluencerFactory

    InfluencerFactory(email="nurul@inbox.test")
    with pytest.raises(ValidationError) as caught:
        Influencer(name="Another", email="Nurul@Inbox.test").full_clean()
    assert caught.value.message_dict == {"email": ["Another influencer already uses this email."]}
