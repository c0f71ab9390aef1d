"""Portal invitations: one emailed link per influencer, good once, for a limited time."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts import invitations
from accounts.models import Invitation, User
from accounts.tasks import send_invitation_email
from influencers.invite import influencer_invite
from influencers.models import Influencer
from tests.concurrency import race
from tests.factories import InfluencerFactory, UserFactory

NEW_PASSWORD = "a-long-and-unusual-passphrase"
UNUSABLE = "This invitation link no longer works"


@pytest.fixture
def ina(db) -> Influencer:
    return InfluencerFactory(name="Ina Creator", email="Ina.Creator@Inbox.test")


@pytest.fixture
def invite(django_capture_on_commit_callbacks, marketer):
    """Invite as the marketer, run the queued email task, return the invitation."""

    def invite(influencer: Influencer, by: User = marketer) -> Invitation:
        with django_capture_on_commit_callbacks(execute=True):
            return influencer_invite(influencer=influencer, by=by)

    return invite


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/invite/\S+/", message.body).group(0)


def path_in(message) -> str:
    return "/" + link_in(message).split("/", 3)[3]


def accept(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, {"new_password1": password, "new_password2": password}, follow=True)


# --- Inviting -----------------------------------------------------------------------


def test_invite_creates_the_login_an_invitation_and_one_email_with_a_working_link(
    ina, invite, marketer
):
    invitation = invite(ina)

    ina.refresh_from_db()
    user = ina.user
    assert (user.email, user.role, user.full_name) == (
        "ina.creator@inbox.test",
        User.Role.INFLUENCER,
        "Ina Creator",
    )
    assert not user.has_usable_password()
    assert invitation.user == user and invitation.created_by == marketer
    assert invitation.expires_at - invitation.created_at == timedelta(hours=72)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ina.creator@inbox.test"]
    assert message.subject == "You're invited to the partnership portal"
    assert link_in(message).startswith("http://127.0.0.1:8000/accounts/invite/")
    assert "Hello Ina," in message.body
    assert invitations.invitation_from_token(path_in(message).split("/")[-2]) == invitation


def test_the_email_link_starts_with_site_url(ina, invite, settings):
    settings.SITE_URL = "https://partners.example.com/"
    invite(ina)
    assert link_in(mail.outbox[0]).startswith("https://partners.example.com/accounts/invite/")


def test_the_token_is_not_stored_and_carries_no_password(ina, invite):
    invitation = invite(ina)
    token = path_in(mail.outbox[0]).split("/")[-2]
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in {str(value) for value in stored.values()}


def test_the_email_task_does_nothing_once_the_link_is_used_or_replaced(ina, invite):
    first = invite(ina)
    invite(ina)
    mail.outbox.clear()

    send_invitation_email(first.pk)  # revoked by the resend
    send_invitation_email(999_999)  # gone
    assert mail.outbox == []


def test_invite_reuses_an_existing_login_and_follows_a_changed_email(ina, invite):
    first = invite(ina)
    ina.refresh_from_db()
    ina.email = "ina@new.test"
    ina.save()

    second = invite(ina)

    assert second.user == first.user
    assert User.objects.get(pk=first.user.pk).email == "ina@new.test"
    assert mail.outbox[-1].to == ["ina@new.test"]


# --- Refusals -----------------------------------------------------------------------


def test_influencer_without_email_is_refused_clearly(marketer, django_capture_on_commit_callbacks):
    nobody = InfluencerFactory(name="Nora Noemail", email="")
    with pytest.raises(ValidationError, match="Nora Noemail has no email address yet"):
        influencer_invite(influencer=nobody, by=marketer)
    assert not Invitation.objects.exists()
    assert Influencer.objects.get(pk=nobody.pk).user is None


def test_email_of_a_brand_team_account_is_refused(marketer, manager):
    borrowed = InfluencerFactory(name="Bo Rowed", email="MANAGER@brand.test")
    with pytest.raises(ValidationError, match="belongs to a brand team account"):
        influencer_invite(influencer=borrowed, by=marketer)
    manager.refresh_from_db()
    assert manager.role == User.Role.MANAGER and manager.has_usable_password()
    assert not Invitation.objects.exists()


def test_email_of_another_influencers_login_is_refused(marketer, influencer_user):
    InfluencerFactory(name="Ina Creator", email="other@inbox.test", user=influencer_user)
    # Ina's contact email changed since; her login still uses the old address.
    copycat = InfluencerFactory(name="Cody Copy", email=influencer_user.email.upper())
    with pytest.raises(ValidationError, match="already the portal login of Ina Creator"):
        influencer_invite(influencer=copycat, by=marketer)
    assert not Invitation.objects.exists()


def test_someone_who_already_joined_is_not_invited_again(ina, invite, client):
    accept(client, path_in(_email_after(invite, ina)))
    with pytest.raises(ValidationError, match="already uses the portal"):
        invite(ina)


def _email_after(invite, influencer):
    invite(influencer)
    return mail.outbox[-1]


# --- Accepting ----------------------------------------------------------------------


def test_the_link_shows_a_welcome_and_sets_the_password_and_lands_on_the_portal(
    ina, invite, client
):
    invite(ina)
    path = path_in(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert "Welcome, Ina." in page.content.decode()
    assert "Set a password to see your partnership terms." in page.content.decode()

    response = accept(client, path)

    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert "Hello, Ina" in response.content.decode()
    user = User.objects.get(email="ina.creator@inbox.test")
    assert user.check_password(NEW_PASSWORD) and user.is_active and user.last_login
    assert Invitation.objects.get().used_at is not None


def test_the_link_cannot_be_used_twice(ina, invite, client):
    invite(ina)
    path = path_in(mail.outbox[0])
    accept(client, path)
    client.logout()

    again = client.get(path)
    assert again.status_code == 200
    assert UNUSABLE in again.content.decode()
    response = accept(client, path, "yet-another-passphrase-42")
    assert UNUSABLE in response.content.decode()
    assert User.objects.get(email="ina.creator@inbox.test").check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused_with_an_explanation(ina, invite, client):
    invitation = invite(ina)
    past = timezone.now() - timedelta(days=5)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=past, expires_at=past + timedelta(hours=72)
    )

    response = client.get(path_in(mail.outbox[0]))

    assert response.status_code == 200
    assert "it was used, replaced by a newer one, or it expired" in response.content.decode()
    assert "Ask the brand to send a new one." in response.content.decode()
    assert not accept(client, path_in(mail.outbox[0])).context["user"].is_authenticated


def test_a_link_signed_longer_ago_than_the_ttl_is_refused(ina, invite):
    invite(ina)
    token = path_in(mail.outbox[0]).split("/")[-2]
    later = time.time() + 73 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert invitations.invitation_from_token(token) is None


@override_settings(INVITATION_TTL_HOURS=1)
def test_the_ttl_comes_from_settings(ina, invite):
    invitation = invite(ina)
    assert invitation.expires_at - invitation.created_at == timedelta(hours=1)


@pytest.mark.parametrize(
    "mangle",
    [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "1:" + t, lambda t: "nonsense"],
)
def test_a_tampered_link_gets_the_friendly_page(ina, invite, client, mangle):
    invite(ina)
    token = path_in(mail.outbox[0]).split("/")[-2]
    response = client.get(reverse("invitation_accept", args=[mangle(token)]))
    assert response.status_code == 200
    assert UNUSABLE in response.content.decode()


def test_resend_kills_the_old_link_and_the_new_one_works(ina, invite, client):
    invite(ina)
    old_path = path_in(mail.outbox[0])
    invite(ina)
    new_path = path_in(mail.outbox[1])

    assert old_path != new_path
    assert UNUSABLE in client.get(old_path).content.decode()
    assert accept(client, new_path).redirect_chain[-1][0] == reverse("portal:home")
    assert Invitation.objects.filter(revoked_at__isnull=False).count() == 1


def test_a_weak_password_is_explained_and_the_link_still_works(ina, invite, client):
    invite(ina)
    path = path_in(mail.outbox[0])

    response = accept(client, path, "12345678")

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert Invitation.objects.get().used_at is None
    assert accept(client, path).redirect_chain[-1][0] == reverse("portal:home")


def test_someone_logged_in_who_opens_the_link_ends_up_as_the_invited_person(
    ina, invite, marketer_client
):
    invite(ina)
    response = accept(marketer_client, path_in(mail.outbox[0]))
    assert response.context["user"].email == "ina.creator@inbox.test"
    assert response.redirect_chain[-1][0] == reverse("portal:home")


def test_the_service_refuses_a_used_invitation(ina, invite):
    invitation = invite(ina)
    invitations.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    with pytest.raises(invitations.InvitationUnusable):
        invitations.invitation_accept(invitation=invitation, password="another-passphrase-9")


# --- Concurrency on real Postgres ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptance_of_one_link_lets_exactly_one_through():
    marketer = UserFactory(role=User.Role.ADMIN)
    influencer = InfluencerFactory(name="Ina Creator")
    invitation = influencer_invite(influencer=influencer, by=marketer)
    passwords = [f"racing-passphrase-number-{n}" for n in range(4)]

    results = race(
        *[
            lambda p=password: invitations.invitation_accept(invitation=invitation, password=p)
            for password in passwords
        ]
    )

    winners = [r for r in results if isinstance(r, User)]
    assert len(winners) == 1, results
    assert all(isinstance(r, invitations.InvitationUnusable) for r in results if r not in winners)
    user = User.objects.get(pk=invitation.user_id)
    assert sum(user.check_password(p) for p in passwords) == 1


# --- Access -------------------------------------------------------------------------


def test_viewer_cannot_invite(viewer_client, ina):
    response = viewer_client.post(reverse("influencers:invite", args=[ina.pk]))
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert not User.objects.filter(role=User.Role.INFLUENCER).exists()
    assert mail.outbox == []


def test_influencer_users_get_403_on_the_invite_url(influencer_client, ina):
    response = influencer_client.post(reverse("influencers:invite", args=[ina.pk]))
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invite_is_post_only(marketer_client, ina):
    assert marketer_client.get(reverse("influencers:invite", args=[ina.pk])).status_code == 405


def test_unknown_influencer_gets_404(marketer_client, db):
    assert marketer_client.post(reverse("influencers:invite", args=[999_999])).status_code == 404


def test_editor_invites_from_the_profile(marketer_client, ina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.post(reverse("influencers:invite", args=[ina.pk]), follow=True)

    assert response.redirect_chain[-1][0] == ina.get_absolute_url()
    assert "Invitation on its way to ina.creator@inbox.test" in response.content.decode()
    assert len(mail.outbox) == 1


def test_the_view_explains_a_refusal(marketer_client):
    nobody = InfluencerFactory(name="Nora Noemail", email="")
    response = marketer_client.post(reverse("influencers:invite", args=[nobody.pk]), follow=True)
    assert "Nora Noemail has no email address yet" in response.content.decode()
    assert not Invitation.objects.exists()


# --- State on the profile and the list ----------------------------------------------


def state_on_profile(client, influencer) -> str:
    html = client.get(influencer.get_absolute_url()).content.decode()
    return re.search(r'data-state="(\w+)"', html).group(1)


def state_in_list(client, influencer) -> str:
    html = client.get(reverse("influencers:list"), {"q": influencer.name}).content.decode()
    return re.search(r'data-state="(\w+)"', html).group(1)


def test_state_shows_on_profile_and_list_from_not_invited_to_joined(marketer_client, ina, invite):
    assert state_on_profile(marketer_client, ina) == "not_invited"
    assert state_in_list(marketer_client, ina) == "not_invited"
    profile = marketer_client.get(ina.get_absolute_url()).content.decode()
    assert "Not invited" in profile and "Invite to portal" in profile

    invitation = invite(ina)
    assert state_on_profile(marketer_client, ina) == "invited"
    assert state_in_list(marketer_client, ina) == "invited"
    profile = marketer_client.get(ina.get_absolute_url()).content.decode()
    expires = timezone.localtime(invitation.expires_at)
    assert f"expires {expires.day} {expires:%b}" in profile and "Resend invitation" in profile

    accept(Client(), path_in(mail.outbox[0]))  # in another browser
    assert state_on_profile(marketer_client, ina) == "joined"
    assert state_in_list(marketer_client, ina) == "joined"
    assert "Resend invitation" not in marketer_client.get(ina.get_absolute_url()).content.decode()


def test_state_shows_expired(marketer_client, ina, invite):
    invitation = invite(ina)
    past = timezone.now() - timedelta(days=5)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=past, expires_at=past + timedelta(hours=72)
    )
    assert state_on_profile(marketer_client, ina) == "expired"
    assert state_in_list(marketer_client, ina) == "expired"


def test_viewers_see_the_state_but_no_invite_button(viewer_client, ina):
    profile = viewer_client.get(ina.get_absolute_url()).content.decode()
    assert "Not invited" in profile and "Invite to portal" not in profile


@pytest.mark.parametrize("rows", [2, 8])
def test_list_query_count_stays_constant_with_invitations(
    marketer_client, marketer, django_assert_num_queries, rows
):
    for influencer in InfluencerFactory.create_batch(rows):
        influencer_invite(influencer=influencer, by=marketer)
        influencer_invite(influencer=influencer, by=marketer)
    # The roster's usual 10, plus one for the latest invitation of every login on the page.
    with django_assert_num_queries(11):
        response = marketer_client.get(reverse("influencers:list"))
    assert response.content.decode().count('data-state="invited"') == rows


def test_an_admin_can_revoke_an_open_link(client, ina, invite):
    invitation = invite(ina)
    admin = UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "revoke_invitations", "_selected_action": [invitation.user.pk]},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    with pytest.raises(invitations.InvitationUnusable):
        invitations.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
