import pytest

from influencers.models import Influencer
from tests.factories import ChannelFactory, make_partnership


@pytest.fixture
def influencer(influencer_user) -> Influencer:
    """An influencer profile with a portal login and one Instagram channel."""
    channel = ChannelFactory(influencer__name="Ina Creator", influencer__user=influencer_user)
    return channel.influencer


@pytest.fixture
def partnership(marketer, influencer):
    return make_partnership(by=marketer, channel=influencer.channels.get())
