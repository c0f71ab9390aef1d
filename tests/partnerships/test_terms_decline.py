"""The influencer declines an offer: only the party, only an open offer, once."""

import pytest
from django.core import mail

from partnerships.models import Partnership
from partnerships.terms import services as terms_services
from partnerships.workflow import TermsError
from tests.factories import ChannelFactory, UserFactory, make_partnership


@pytest.fixture
def offer(marketer, influencer_user):
    channel = ChannelFactory(influencer__name="Ina Creator", influencer__user=influencer_user)
    partnership = make_partnership(by=marketer, channel=channel)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    return partnership.versions.get()


def test_declining_keeps_the_reason_and_tells_the_brand_once(
    offer, influencer_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        terms_services.terms_decline(
            version=offer, by=influencer_user, reason="  Fully booked in March  "
        )
    partnership = offer.partnership
    partnership.refresh_from_db()
    assert partnership.status == "declined"
    assert partnership.history.latest().history_change_reason == "Fully booked in March"
    assert len(mail.outbox) == 1
    [email] = mail.outbox
    assert email.to == [partnership.owner.email]
    assert "Ina Creator declined the offer" in email.subject
    assert "Fully booked in March" in email.body
    for callback in callbacks:  # a repeated run sends nothing more
        callback()
    assert len(mail.outbox) == 1


def test_without_a_reason_the_brand_hears_so(
    offer, influencer_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        terms_services.terms_decline(version=offer, by=influencer_user)
    assert "They gave no reason." in mail.outbox[0].body


def test_without_an_owner_the_admins_are_told(
    offer, influencer_user, django_capture_on_commit_callbacks
):
    admin = UserFactory(role="admin")
    Partnership.objects.filter(pk=offer.partnership_id).update(owner=None)
    with django_capture_on_commit_callbacks(execute=True):
        terms_services.terms_decline(version=offer, by=influencer_user)
    assert admin.email in mail.outbox[0].to


def test_only_the_influencer_party_can_decline(offer, marketer, other_influencer_user):
    for someone in (marketer, other_influencer_user):
        with pytest.raises(TermsError) as caught:
            terms_services.terms_decline(version=offer, by=someone)
        assert caught.value.code == "not_party"
    offer.partnership.refresh_from_db()
    assert offer.partnership.status == "proposed"


def test_an_accepted_offer_cannot_be_declined(offer, influencer_user):
    terms_services.terms_accept(version=offer, by=influencer_user, ip=None, user_agent="")
    with pytest.raises(TermsError) as caught:
        terms_services.terms_decline(version=offer, by=influencer_user)
    assert caught.value.code == "accepted"
    offer.partnership.refresh_from_db()
    assert offer.partnership.status == "accepted"


def test_declining_twice_is_refused(offer, influencer_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        terms_services.terms_decline(version=offer, by=influencer_user)
    with pytest.raises(TermsError) as caught:
        terms_services.terms_decline(version=offer, by=influencer_user)
    assert caught.value.code == "twice"
    assert len(mail.outbox) == 1


def test_only_the_latest_proposed_version_can_be_declined(offer, marketer, influencer_user):
    partnership = offer.partnership
    terms_services.terms_open_draft(partnership=partnership, by=marketer, based_on=1)
    terms_services.terms_propose(version=partnership.versions.get(number=2), by=marketer)
    with pytest.raises(TermsError) as caught:
        terms_services.terms_decline(version=offer, by=influencer_user)
    assert caught.value.code == "superseded"
