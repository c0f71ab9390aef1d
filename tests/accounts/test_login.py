import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


def login(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (User.Role.ADMIN, "/"),
        (User.Role.MANAGER, "/"),
        (User.Role.VIEWER, "/"),
        (User.Role.INFLUENCER, "/portal/"),
    ],
)
def test_each_role_logs_in_and_lands_on_its_home(client, db, role, landing):
    user = UserFactory(role=role)

    response = login(client, user.email)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)

    assert response.request["PATH_INFO"] == landing
    assert response.status_code == 200
    assert response.wsgi_request.user == user


def test_marketer_home_is_the_dashboard(marketer_client):
    response = marketer_client.get("/")
    assert response.status_code == 200
    assert "My day" in response.content.decode()


def test_login_is_case_insensitive_on_email(client, marketer):
    response = login(client, marketer.email.upper())
    assert response.status_code == 302


def test_wrong_password_shows_an_error_and_does_not_log_in(client, marketer):
    response = login(client, marketer.email, "not-the-password")

    assert response.status_code == 200
    assert "That email and password do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_user_out_from_that_address(client, marketer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, marketer.email, "wrong", ip="10.0.0.9")

    response = login(client, marketer.email, PASSWORD, ip="10.0.0.9")

    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_from_one_address_does_not_lock_out_the_real_user(client, marketer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, marketer.email, "wrong", ip="203.0.113.66")

    response = login(client, marketer.email, PASSWORD, ip="10.0.0.1")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(marketer.pk)


def test_an_attacker_cannot_lock_out_other_users(client, marketer, manager, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, marketer.email, "wrong", ip="203.0.113.66")

    assert login(client, manager.email, PASSWORD, ip="203.0.113.66").status_code == 302


def test_logout_needs_post_and_ends_the_session(marketer_client):
    response = marketer_client.post(reverse("logout"))
    assert response.status_code == 302
    assert marketer_client.get("/").status_code == 302


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_password_reset_sends_a_single_use_link(
    client, marketer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivers after commit
        response = client.post(reverse("password_reset"), {"email": marketer.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.request["PATH_INFO"],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    marketer.refresh_from_db()
    assert marketer.check_password("a-new-long-passphrase")
    assert client.get(path, follow=True).context["validlink"] is False


def test_password_change_applies_the_validators(client, marketer):
    client.force_login(marketer)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()


def test_changing_the_capitals_of_the_email_does_not_reset_the_count(client, marketer, settings):
    for variant in ("Admin@brand.test", "ADMIN@BRAND.TEST", "admin@Brand.test", "aDmin@brand.test"):
        login(client, variant, "wrong", ip="10.0.0.7")
    login(client, marketer.email, "wrong", ip="10.0.0.7")

    response = login(client, "AdMiN@BrAnD.TeSt", PASSWORD, ip="10.0.0.7")

    assert response.status_code == 429
