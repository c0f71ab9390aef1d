import pytest

from tests.factories import ChannelFactory


@pytest.fixture
def aina(marketer):
    return ChannelFactory(influencer__name="Aina Sofea", influencer__owner=marketer).influencer
