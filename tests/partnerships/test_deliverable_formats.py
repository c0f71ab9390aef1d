"""A deliverable's format must be one its channel's platform publishes (no Reel on TikTok)."""

import json

import pytest
from django.core.exceptions import ValidationError

from partnerships.models import Deliverable
from partnerships.models.agreements import formats_for
from tests.factories import ChannelFactory
from tests.partnerships.test_terms_views import edit_url, first_row, terms_post, v


@pytest.mark.parametrize(
    ("platform", "format", "ok"),
    [
        ("instagram", "reel", True),
        ("tiktok", "reel", False),
        ("tiktok", "video", True),
        ("youtube", "short", True),
        ("youtube", "story", False),
        ("blog", "blog_post", True),
        ("blog", "reel", False),
        ("other", "newsletter", True),
    ],
)
def test_model_refuses_a_format_the_platform_lacks(db, platform, format, ok):
    deliverable = Deliverable(channel=ChannelFactory(platform=platform), format=format)
    if ok:
        deliverable.clean()
    else:
        with pytest.raises(ValidationError) as error:
            deliverable.clean()
        assert "format" in error.value.message_dict


def test_editor_refuses_a_reel_on_tiktok_next_to_the_format(marketer_client, partnership):
    tiktok = ChannelFactory(influencer=partnership.influencer, platform="tiktok", handle="tt")
    v1 = v(partnership, 1)
    data = terms_post(v1, **first_row(v1, "deliverables", channel=tiktok.pk, format="reel"))
    response = marketer_client.post(edit_url(partnership), data)
    assert response.status_code == 200
    errors = response.context["editor"].deliverables.forms[0].errors
    assert "TikTok has no Reel" in errors["format"][0]
    assert v(partnership, 1).deliverables.get().format == "reel"  # unchanged, on Instagram
    assert v(partnership, 1).deliverables.get().channel.platform == "instagram"


def test_editor_renders_the_formats_each_channel_takes(marketer_client, partnership):
    tiktok = ChannelFactory(influencer=partnership.influencer, platform="tiktok", handle="tt")
    response = marketer_client.get(edit_url(partnership))
    field = response.context["editor"].deliverables.forms[0].fields["channel"]
    formats = json.loads(field.widget.attrs["data-channel-formats"])
    assert formats[str(tiktok.pk)] == list(formats_for("tiktok"))
    assert "reel" not in formats[str(tiktok.pk)]
    assert "data-channel-formats" in response.content.decode()
    assert "js/deliverable-formats.js" in response.content.decode()
