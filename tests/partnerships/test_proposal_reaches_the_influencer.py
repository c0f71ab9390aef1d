"""Proposing terms tells the influencer: by email if they can log in, else together
with the portal invitation."""

from django.core import mail
from django.urls import reverse

from accounts.models import Invitation
from partnerships import tasks
from partnerships.terms import services as terms_services
from tests.factories import make_partnership


def _propose(client, partnership, callbacks):
    with callbacks(execute=True):
        return client.post(
            reverse("partnerships:terms_propose", args=[partnership.pk]), follow=True
        )


def test_proposing_emails_the_influencer_once_with_brand_campaign_and_link(
    marketer_client, partnership, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    response = _propose(marketer_client, partnership, django_capture_on_commit_callbacks)

    assert "They have been emailed." in response.content.decode()
    [email] = mail.outbox
    assert email.to == ["creator@inbox.test"]
    assert "Kopi Kita" in email.subject and partnership.campaign.name in email.subject
    assert reverse("portal:partnership", args=[partnership.pk]) in email.body
    tasks.notify_proposal(partnership.versions.get().pk)  # a retry sends nothing more
    assert len(mail.outbox) == 1


def test_proposing_to_someone_without_portal_access_says_nobody_sees_it(
    marketer_client, marketer, django_capture_on_commit_callbacks
):
    partnership = make_partnership(by=marketer)  # an influencer with no login
    mail.outbox.clear()
    response = _propose(marketer_client, partnership, django_capture_on_commit_callbacks)

    body = response.content.decode()
    assert "nobody can see it yet" in body
    assert "proposed to" not in body
    assert reverse("partnerships:invite", args=[partnership.pk]) in body
    assert mail.outbox == []


def test_inviting_from_the_partnership_sends_one_email_with_the_offer(
    marketer_client, marketer, django_capture_on_commit_callbacks
):
    partnership = make_partnership(by=marketer)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.post(reverse("partnerships:invite", args=[partnership.pk]))

    assert response.status_code == 302
    invitation = Invitation.objects.get(user__email=partnership.influencer.email)
    [email] = mail.outbox
    assert email.to == [partnership.influencer.email]
    assert "Kopi Kita offers you version 1 of the terms" in email.body
    assert partnership.campaign.name in email.body
    assert invitation.is_usable and "http" in email.body


def test_viewer_cannot_invite(viewer_client, partnership):
    url = reverse("partnerships:invite", args=[partnership.pk])
    assert viewer_client.post(url).status_code == 403
