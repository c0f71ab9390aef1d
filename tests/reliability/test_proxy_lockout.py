"""The login lockout and the address on an acceptance, per deployment shape, with
clients that forge X-Forwarded-For (issue 11: "Login lockout behind a load balancer").

A balancer appends the address it was connected from; whatever the client wrote sits
to its left. The balancer itself is the socket peer (REMOTE_ADDR)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

import accounts.client
from accounts.client import client_ip
from partnerships.models import Acceptance
from partnerships.terms import services as terms_services
from tests.factories import PASSWORD, ChannelFactory, make_partnership

LOGIN = "/accounts/login/"
BALANCER = "10.0.0.2"  # the load balancer as the app sees it
INNER = "10.0.0.3"  # a second proxy (e.g. a CDN edge in front of the balancer)
ATTACKER = "203.0.113.9"
VICTIM = "198.51.100.7"


def meta(remote: str, forwarded: str | None = None) -> dict:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return extra


def ip_of(**extra) -> str | None:
    return client_ip(RequestFactory().get("/", **extra))


def login(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


# --- client_ip per shape ------------------------------------------------------------


def test_direct_ignores_every_forwarded_header(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert ip_of(**meta(ATTACKER, "1.2.3.4")) == ATTACKER
    assert ip_of(**meta(ATTACKER), HTTP_X_REAL_IP="1.2.3.4", HTTP_CLIENT_IP="5.6.7.8") == ATTACKER


def test_one_proxy_takes_what_the_balancer_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert ip_of(**meta(BALANCER, ATTACKER)) == ATTACKER
    assert ip_of(**meta(BALANCER, f"1.2.3.4, 10.9.0.1, {ATTACKER}")) == ATTACKER


def test_two_proxies_take_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert ip_of(**meta(BALANCER, f"{ATTACKER}, {INNER}")) == ATTACKER
    assert ip_of(**meta(BALANCER, f"6.6.6.6, {ATTACKER}, {INNER}")) == ATTACKER


@pytest.mark.parametrize("forwarded", [None, "", " , ", "not-an-address"])
def test_a_header_shorter_than_the_proxies_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert ip_of(**meta(BALANCER, forwarded)) == BALANCER
    settings.TRUSTED_PROXY_COUNT = 2
    assert ip_of(**meta(BALANCER, forwarded)) == BALANCER
    assert ip_of(**meta(BALANCER, "7.7.7.7" if forwarded is None else ATTACKER)) == BALANCER


@pytest.mark.parametrize(
    ("variables", "count"),
    [({}, 0), ({"AXES_PROXY_COUNT": "2"}, 2), ({"TRUSTED_PROXY_COUNT": "1"}, 1)],
)
def test_settings_read_the_count_under_either_name(variables, count):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("AXES_PROXY_COUNT", "TRUSTED_PROXY_COUNT")
    }
    code = "import config.settings as s; print(s.TRUSTED_PROXY_COUNT, s.AXES_CLIENT_IP_CALLABLE)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **variables},
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.split() == [str(count), "accounts.client.client_ip"]


def test_trusted_proxies_ignore_headers_from_anyone_else(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert ip_of(**meta(BALANCER, ATTACKER)) == ATTACKER
    # Straight to gunicorn, past the balancer, with a forged header: its own address.
    assert ip_of(**meta(VICTIM, "1.2.3.4")) == VICTIM
    settings.TRUSTED_PROXY_COUNT = 2
    assert ip_of(**meta(BALANCER, f"{ATTACKER}, {INNER}")) == ATTACKER
    assert ip_of(**meta(BALANCER, f"{ATTACKER}, 8.8.8.8")) == BALANCER


def test_behind_a_local_proxy_on_a_unix_socket(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert ip_of(**meta("", f"6.6.6.6, {ATTACKER}")) == ATTACKER
    assert ip_of(**meta("")) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 0
    assert ip_of(**meta("", ATTACKER)) == "127.0.0.1"


def test_never_an_empty_address_for_a_request_with_a_peer(settings):
    for count in (0, 1, 2, 5):
        settings.TRUSTED_PROXY_COUNT = count
        for forwarded in (None, "", ",,,", "unknown", ATTACKER, f"x, {ATTACKER}"):
            assert ip_of(**meta(BALANCER, forwarded)), (count, forwarded)


# --- the lockout behind each shape ----------------------------------------------------

SHAPES = {
    # name: (proxy count, how the attacker's i-th request arrives, how the victim's arrives)
    "direct": (0, lambda i: meta(ATTACKER, f"10.{i}.0.1"), meta(VICTIM)),
    "one proxy": (
        1,
        lambda i: meta(BALANCER, f"10.{i}.0.1, {ATTACKER}"),
        meta(BALANCER, VICTIM),
    ),
    "two proxies": (
        2,
        lambda i: meta(BALANCER, f"10.{i}.0.1, {ATTACKER}, {INNER}"),
        meta(BALANCER, f"{VICTIM}, {INNER}"),
    ),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_rotating_a_spoofed_first_hop_does_not_give_unlimited_guesses(
    client, marketer, settings, shape
):
    settings.TRUSTED_PROXY_COUNT, attacker, _victim = SHAPES[shape]
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, marketer.email, "wrong", **attacker(i)).status_code == 200
    login(client, marketer.email, "wrong", **attacker(50))

    # Even the right password is refused from the attacker's address, whatever its first hop.
    response = login(client, marketer.email, PASSWORD, **attacker(99))
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


@pytest.mark.parametrize("shape", SHAPES)
def test_failures_are_never_stored_with_an_empty_address(client, marketer, settings, shape):
    settings.TRUSTED_PROXY_COUNT, attacker, _victim = SHAPES[shape]
    login(client, marketer.email, "wrong", **attacker(0))
    login(client, marketer.email, "wrong", **meta(BALANCER))  # no header at all
    addresses = list(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses
    assert all(addresses), addresses


@pytest.mark.parametrize("shape", SHAPES)
def test_the_victim_is_not_locked_out_from_their_own_address(client, marketer, settings, shape):
    settings.TRUSTED_PROXY_COUNT, attacker, victim = SHAPES[shape]
    for i in range(settings.AXES_FAILURE_LIMIT + 2):
        login(client, marketer.email, "wrong", **attacker(i))

    response = login(client, marketer.email, PASSWORD, **victim)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(marketer.pk)


def test_behind_a_proxy_with_no_proxy_configured_everyone_shares_its_address(
    client, marketer, settings, caplog, monkeypatch
):
    """The misconfiguration the README warns about: TRUSTED_PROXY_COUNT=0 behind a
    balancer. Every client is the balancer, so an attacker locks the victim out; the
    app says so in its log."""
    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(accounts.client, "_warned", False)
    with caplog.at_level(logging.WARNING, logger="accounts.client"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(client, marketer.email, "wrong", **meta(BALANCER, ATTACKER))
        response = login(client, marketer.email, PASSWORD, **meta(BALANCER, VICTIM))
    assert response.status_code == 429
    assert "TRUSTED_PROXY_COUNT is 0" in caplog.text


# --- the address on an acceptance -----------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_an_acceptance_records_the_same_address_the_lockout_uses(
    marketer, influencer_user, settings, shape
):
    settings.TRUSTED_PROXY_COUNT, attacker, _victim = SHAPES[shape]
    channel = ChannelFactory(influencer__user=influencer_user)
    partnership = make_partnership(by=marketer, channel=channel)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    client = Client()
    client.force_login(influencer_user)

    response = client.post(
        reverse("portal:accept", args=[partnership.pk]), {"version": 1}, **attacker(3)
    )
    assert response.status_code == 302
    assert Acceptance.objects.get().ip_address == ATTACKER
