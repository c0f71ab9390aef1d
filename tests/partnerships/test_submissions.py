"""Handing in post links (portal) and reviewing them (marketers)."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import outbox
from accounts.models import OutgoingEmail
from partnerships import selectors
from partnerships.delivery import submissions as submission_services
from partnerships.models import Partnership, Submission
from partnerships.terms import services as terms_services
from tests.factories import ChannelFactory

POST = "https://www.instagram.com/reel/C0ffee123/"
OTHER_POST = "https://www.instagram.com/p/Kopi456/"
Status = Submission.Status


def accept_terms(partnership, marketer, influencer_user):
    version = terms_services.terms_propose(
        version=partnership.versions.latest("number"), by=marketer
    )
    terms_services.terms_accept(
        version=version, by=influencer_user, ip="203.0.113.1", user_agent="t"
    )
    return version


@pytest.fixture
def accepted(partnership, marketer, influencer_user):
    accept_terms(partnership, marketer, influencer_user)
    partnership.refresh_from_db()
    return partnership


@pytest.fixture
def deliverable(accepted):
    return accepted.versions.get().deliverables.get()


@pytest.fixture
def submitted(deliverable, influencer_user) -> Submission:
    return submission_services.submission_hand_in(
        deliverable=deliverable, piece=1, post_url=POST, by=influencer_user
    )


def hand_in_url(deliverable) -> str:
    return reverse("portal:hand_in", args=[deliverable.version.partnership_id, deliverable.pk])


def review_url(submission) -> str:
    return reverse(
        "partnerships:submission_review", args=[submission.partnership_id, submission.pk]
    )


def portal_partial(user, partnership) -> str:
    partnership = selectors.portal_partnership(user, partnership.pk)
    in_force = selectors.terms_state_of(list(partnership.versions.all())).in_force
    return render_to_string(
        "portal/_deliverables.html", {"partnership": partnership, "in_force": in_force}
    )


# --- Handing in through the portal ------------------------------------------------------


def test_influencer_hands_in_a_post_link(
    influencer_client, deliverable, influencer_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = influencer_client.post(
            hand_in_url(deliverable), {"piece": "2", "post_url": f"  {POST}  "}
        )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:partnership", args=[deliverable.version.partnership_id]
    )
    submission = Submission.objects.get()
    assert (submission.deliverable, submission.piece) == (deliverable, 2)
    assert submission.post_url == POST
    assert submission.status == Status.SUBMITTED
    assert submission.submitted_by == influencer_user
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_hand_in_by_htmx_returns_the_partial_with_the_new_link(influencer_client, deliverable):
    response = influencer_client.post(
        hand_in_url(deliverable), {"piece": "1", "post_url": POST}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="portal-deliverables"' in html
    assert POST in html
    assert "Thank you! The brand has been told about your post." in html
    assert Submission.objects.get().status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("post_url", "message"),
    [
        ("https://www.tiktok.com/@ina/video/7312345678901234567", "not on instagram.com"),
        ("javascript:alert(1)", "starting with https://"),
        ("javascript://www.instagram.com/%0Aalert(1)", "Only http and https"),
        ("https://www.instagram.com/p/" + "x" * 500, "at most 500 characters"),
        ("my reel from yesterday", "plain letters"),
        ("instagram.com/p/abc", "starting with https://"),
        ("https://youtu.be/dQw4w9WgXcQ", "not on instagram.com"),
        ("https://www.instagram.com/", "the post itself"),
    ],
)
def test_bad_links_are_refused_with_a_reason(influencer_client, deliverable, post_url, message):
    response = influencer_client.post(
        hand_in_url(deliverable), {"piece": "1", "post_url": post_url}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "is-invalid" in html
    assert not Submission.objects.exists()


def test_bad_link_without_htmx_shows_the_error_as_a_message(influencer_client, deliverable):
    response = influencer_client.post(
        hand_in_url(deliverable),
        {"piece": "1", "post_url": "https://www.tiktok.com/@ina/video/1"},
    )

    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "error"
    assert "not on instagram.com" in message.message
    assert not Submission.objects.exists()


@pytest.mark.parametrize("piece", ["0", "3", "-1", "x"])
def test_piece_out_of_range_is_refused(influencer_client, deliverable, piece):
    assert deliverable.quantity == 2
    response = influencer_client.post(
        hand_in_url(deliverable), {"piece": piece, "post_url": POST}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Submission.objects.exists()


def test_hand_in_before_acceptance_is_404(
    influencer_client, partnership, marketer, django_capture_on_commit_callbacks
):
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    deliverable = partnership.versions.get().deliverables.get()

    response = influencer_client.post(hand_in_url(deliverable), {"piece": "1", "post_url": POST})

    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_other_influencer_gets_404(client, deliverable, other_influencer_user):
    ChannelFactory(influencer__user=other_influencer_user)
    client.force_login(other_influencer_user)

    response = client.post(hand_in_url(deliverable), {"piece": "1", "post_url": POST})

    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_marketer_cannot_use_the_portal_hand_in(marketer_client, deliverable):
    response = marketer_client.post(hand_in_url(deliverable), {"piece": "1", "post_url": POST})

    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_hand_in_is_post_only(influencer_client, deliverable):
    assert influencer_client.get(hand_in_url(deliverable)).status_code == 405


# --- Service rules ----------------------------------------------------------------------


def test_superseded_terms_refuse_hand_ins(accepted, deliverable, marketer, influencer_user):
    terms_services.terms_open_draft(partnership=accepted, by=marketer, based_on=1)
    accept_terms(accepted, marketer, influencer_user)

    with pytest.raises(ValidationError, match="not the ones in force"):
        submission_services.submission_hand_in(
            deliverable=deliverable, piece=1, post_url=POST, by=influencer_user
        )
    newer = accepted.versions.get(number=2).deliverables.get()
    submission_services.submission_hand_in(
        deliverable=newer, piece=1, post_url=POST, by=influencer_user
    )
    assert Submission.objects.get().deliverable == newer


@pytest.mark.parametrize("status", [Partnership.Status.COMPLETED, Partnership.Status.CANCELLED])
def test_closed_partnership_refuses_hand_ins(accepted, deliverable, influencer_user, status):
    Partnership.objects.filter(pk=accepted.pk).update(status=status)

    with pytest.raises(ValidationError, match="accepted or active"):
        submission_services.submission_hand_in(
            deliverable=deliverable, piece=1, post_url=POST, by=influencer_user
        )
    assert not Submission.objects.exists()


def test_active_partnership_accepts_hand_ins(accepted, deliverable, influencer_user):
    Partnership.objects.filter(pk=accepted.pk).update(status=Partnership.Status.ACTIVE)

    submission_services.submission_hand_in(
        deliverable=deliverable, piece=1, post_url=POST, by=influencer_user
    )
    assert Submission.objects.count() == 1


def test_handing_in_again_replaces_the_link(submitted, deliverable, influencer_user):
    again = submission_services.submission_hand_in(
        deliverable=deliverable, piece=1, post_url=OTHER_POST, by=influencer_user
    )

    assert again.pk == submitted.pk
    assert Submission.objects.get().post_url == OTHER_POST


# --- Reviewing -------------------------------------------------------------------------


def test_marketer_approves_and_influencer_sees_approved(
    client, marketer, submitted, influencer_user, django_capture_on_commit_callbacks
):
    client.force_login(marketer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(submitted), {"decision": "approve"})

    assert response.status_code == 302
    assert response["Location"] == submitted.partnership.get_absolute_url()
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert submitted.reviewed_at is not None
    client.force_login(influencer_user)
    page = client.get(reverse("portal:partnership", args=[submitted.partnership_id]))
    html = page.content.decode()
    assert 'id="portal-deliverables"' in html
    assert 'data-status="approved"' in html
    assert ">Approved<" in html
    assert [m.to for m in mail.outbox] == [[influencer_user.email]]
    assert "approved" in mail.outbox[0].subject


def test_ask_for_fix_needs_a_comment(marketer_client, submitted):
    response = marketer_client.post(
        review_url(submitted), {"decision": "needs_fix", "comment": "   "}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Say what needs fixing" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_ask_for_fix_shows_the_comment_to_the_influencer(
    marketer_client, submitted, influencer_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.post(
            review_url(submitted), {"decision": "needs_fix", "comment": "Add #ad to the caption"}
        )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_comment) == (
        Status.NEEDS_FIX,
        "Add #ad to the caption",
    )
    html = portal_partial(influencer_user, submitted.partnership)
    assert "Needs a fix" in html
    assert "Add #ad to the caption" in html
    assert [m.to for m in mail.outbox] == [[influencer_user.email]]
    assert "Add #ad to the caption" in mail.outbox[0].body


def test_approved_piece_cannot_be_replaced(
    influencer_client, submitted, deliverable, marketer, influencer_user
):
    submission_services.submission_review(
        submission=submitted, by=marketer, approve=True, comment=""
    )

    response = influencer_client.post(
        hand_in_url(deliverable),
        {"piece": "1", "post_url": OTHER_POST},
        HTTP_HX_REQUEST="true",
    )

    assert "already approved" in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.status, submitted.post_url) == (Status.APPROVED, POST)


def test_hand_in_after_needs_fix_resets_to_submitted(
    influencer_client, submitted, deliverable, marketer
):
    submission_services.submission_review(
        submission=submitted, by=marketer, approve=False, comment="Wrong product"
    )

    response = influencer_client.post(
        hand_in_url(deliverable), {"piece": "1", "post_url": OTHER_POST}
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert submitted.post_url == OTHER_POST
    assert submitted.review_comment == ""
    assert submitted.reviewed_by is None


def test_approved_piece_cannot_be_reviewed_again(submitted, marketer):
    submission_services.submission_review(
        submission=submitted, by=marketer, approve=True, comment=""
    )

    with pytest.raises(ValidationError, match="already approved"):
        submission_services.submission_review(
            submission=submitted, by=marketer, approve=False, comment="Actually no"
        )


def test_viewer_cannot_review(viewer_client, submitted):
    response = viewer_client.post(review_url(submitted), {"decision": "approve"})

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_influencer_gets_403_on_the_review_url(influencer_client, submitted):
    response = influencer_client.post(review_url(submitted), {"decision": "approve"})

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_review_of_a_submission_from_another_partnership_is_404(
    marketer_client, submitted, marketer
):
    from tests.factories import make_partnership

    elsewhere = make_partnership(by=marketer)
    url = reverse("partnerships:submission_review", args=[elsewhere.pk, submitted.pk])

    assert marketer_client.post(url, {"decision": "approve"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_review_by_htmx_returns_the_partial(marketer_client, submitted):
    response = marketer_client.post(
        review_url(submitted), {"decision": "approve"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="deliverables-review"' in html
    assert "The influencer has been told" in html


# --- The marketer's partnership page -----------------------------------------------------


def test_partnership_page_lists_handed_in_posts_with_review_buttons(marketer_client, submitted):
    response = marketer_client.get(submitted.partnership.get_absolute_url())

    html = response.content.decode()
    assert f'href="{POST}" target="_blank" rel="noopener noreferrer nofollow"' in html
    assert review_url(submitted) in html
    assert "Ask for a fix" in html
    assert "Not handed in yet" in html  # piece 2 of 2


def test_viewer_sees_posts_but_no_review_buttons(viewer_client, submitted):
    response = viewer_client.get(submitted.partnership.get_absolute_url())

    html = response.content.decode()
    assert POST in html
    assert review_url(submitted) not in html


def test_review_partial_costs_one_query_for_the_submissions(
    accepted, deliverable, marketer, influencer_user, django_assert_num_queries, rf
):
    for piece in (1, 2):
        submission_services.submission_hand_in(
            deliverable=deliverable, piece=piece, post_url=POST, by=influencer_user
        )
    state = selectors.terms_state(accepted)
    request = rf.get("/")
    request.user = marketer

    with django_assert_num_queries(1):
        html = render_to_string(
            "partnerships/_deliverables_review.html",
            {"partnership": accepted, "state": state, "user": marketer},
            request=request,
        )
    assert html.count('data-status="submitted"') == 2


# --- The portal partial -------------------------------------------------------------------


def test_portal_partial_before_acceptance(partnership, marketer, influencer_user):
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)

    html = portal_partial(influencer_user, partnership)

    assert "Your deliverables appear here once you accept the terms." in html


def test_portal_partial_has_a_phone_friendly_form_per_piece(influencer_user, deliverable):
    html = portal_partial(influencer_user, deliverable.version.partnership)

    assert html.count('type="url" inputmode="url" autocomplete="off"') == 2
    assert html.count("btn btn-primary w-100") == 2
    assert "Not handed in yet" in html
    assert hand_in_url(deliverable) in html


# --- Emails --------------------------------------------------------------------------------


def test_owner_is_emailed_on_hand_in_once_the_window_closes(
    deliverable, influencer_user, marketer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_services.submission_hand_in(
            deliverable=deliverable, piece=1, post_url=POST, by=influencer_user
        )
    assert mail.outbox == []  # more hand-ins may follow within the window

    OutgoingEmail.objects.filter(key__startswith="handed-in:").update(send_after=timezone.now())
    outbox.sweep()

    assert deliverable.version.partnership.owner == marketer
    [email] = [m for m in mail.outbox if "handed in" in m.subject]
    assert email.to == [marketer.email]
    assert POST in email.body
    assert reverse("partnerships:detail", args=[deliverable.version.partnership_id]) in email.body


def test_no_email_is_queued_when_the_hand_in_fails(
    deliverable, influencer_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        submission_services.submission_hand_in(
            deliverable=deliverable, piece=1, post_url="javascript:alert(1)", by=influencer_user
        )

    assert callbacks == []
    assert mail.outbox == []


# --- In a browser, on a phone ----------------------------------------------------------------


@pytest.mark.browser
def test_hand_in_and_review_in_the_browser(
    page, phone_page, marketer, influencer_user, deliverable, settings
):
    from playwright.sync_api import expect

    settings.HAND_IN_NOTICE_WINDOW_MINUTES = 0

    from tests.conftest import browser_login

    partnership = deliverable.version.partnership
    browser_login(phone_page, influencer_user.email)
    phone_page.goto(reverse("portal:partnership", args=[partnership.pk]))
    piece = phone_page.locator(f"#piece-{deliverable.pk}-1")
    piece.get_by_label("Link to your post").fill("https://www.tiktok.com/@ina/video/1")
    piece.get_by_role("button", name="Hand in").click()
    expect(phone_page.locator(f"#piece-{deliverable.pk}-1 [role=alert]")).to_contain_text(
        "not on instagram.com"
    )
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    piece = phone_page.locator(f"#piece-{deliverable.pk}-1")
    piece.get_by_label("Link to your post").fill(POST)
    piece.get_by_role("button", name="Hand in").click()
    expect(phone_page.get_by_text("Thank you! The brand has been told")).to_be_visible()
    assert Submission.objects.get().post_url == POST
    assert [m.to for m in mail.outbox if POST in m.body] == [[marketer.email]]

    browser_login(page, marketer.email)
    page.goto(partnership.get_absolute_url())
    page.locator("#deliverables-review").get_by_text("Ask for a fix").click()
    page.get_by_label("What needs fixing?").fill("Add #ad to the caption")
    page.get_by_role("button", name="Send back for a fix").click()
    expect(page.get_by_text("Saved. The influencer has been told.")).to_be_visible()

    phone_page.reload()
    expect(phone_page.get_by_text("Add #ad to the caption")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
