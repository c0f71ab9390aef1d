"""What a marketer sees first thing: crafted data in, exactly these items out."""

import datetime

import pytest
from django.utils import timezone

from partnerships import services
from partnerships.models import Partnership, Shipment
from partnerships.relationships import services as rel
from partnerships.terms import services as terms_services
from tests.factories import ChannelFactory, UserFactory, make_partnership
from today.my_day import SECTION_LIMIT, SECTION_PAGE_SIZE, my_day

TODAY = datetime.date(2026, 12, 10)


def accepted_partnership(marketer, influencer_user=None, **kwargs):
    user = influencer_user or UserFactory(role="influencer")
    channel = ChannelFactory(influencer__user=user, influencer__owner=marketer)
    partnership = make_partnership(by=marketer, channel=channel, **kwargs)
    version = terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    terms_services.terms_accept(version=version, by=user, ip=None, user_agent="")
    return partnership


def test_my_day_holds_exactly_what_is_due(marketer, manager, settings):
    aina = ChannelFactory(influencer__name="Aina", influencer__owner=marketer).influencer
    overdue = rel.follow_up_create(
        influencer=aina,
        what="Overdue",
        due_on=TODAY - datetime.timedelta(days=2),
        assignee=marketer,
        by=marketer,
    )
    today = rel.follow_up_create(
        influencer=aina, what="Today", due_on=TODAY, assignee=marketer, by=marketer
    )
    rel.follow_up_create(  # tomorrow: not yet
        influencer=aina,
        what="Later",
        due_on=TODAY + datetime.timedelta(days=1),
        assignee=marketer,
        by=marketer,
    )
    rel.follow_up_create(  # someone else's
        influencer=aina, what="Not mine", due_on=TODAY, assignee=manager, by=marketer
    )
    done = rel.follow_up_create(
        influencer=aina, what="Done", due_on=TODAY, assignee=marketer, by=marketer
    )
    rel.follow_up_complete(follow_up=done, by=marketer)

    day = my_day(marketer, today=TODAY)

    assert day.overdue == [overdue]
    assert day.due_today == [today]


def test_deliverables_due_this_week_until_all_pieces_are_handed_in(marketer):
    partnership = accepted_partnership(marketer)  # 2 reels due 2026-12-15
    deliverable = partnership.versions.get().deliverables.get()

    assert my_day(marketer, today=TODAY).deliverables == [deliverable]
    assert my_day(marketer, today=datetime.date(2026, 12, 1)).deliverables == []

    from partnerships.models import Submission

    for piece in (1, 2):
        Submission.objects.create(
            partnership=partnership,
            deliverable=deliverable,
            piece=piece,
            post_url=f"https://www.instagram.com/reel/{piece}/",
            submitted_by=partnership.influencer.user,
        )
    assert my_day(marketer, today=TODAY).deliverables == []


def test_terms_waiting_too_long_and_partnerships_gone_quiet(marketer, settings):
    settings.MY_DAY_TERMS_WAITING_DAYS = 5
    settings.MY_DAY_QUIET_DAYS = 14
    waiting = make_partnership(by=marketer)
    Partnership.objects.filter(pk=waiting.pk).update(owner=marketer)
    version = terms_services.terms_propose(version=waiting.versions.get(), by=marketer)
    assert my_day(marketer).waiting_terms == []
    from partnerships.models import TermsVersion

    # Proposed a week ago (the trigger forbids changing proposed versions, so the clock moves).
    later = timezone.now() + datetime.timedelta(days=7)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: later)
        day = my_day(marketer, today=later.date())
    assert [v.pk for v in day.waiting_terms] == [version.pk]
    assert TermsVersion.objects.count() == 1

    active = accepted_partnership(marketer)
    services.partnership_transition(partnership=active, to_status="active", by=marketer)
    assert my_day(marketer).quiet == [active]
    rel.contact_log(influencer=active.influencer, by=marketer, kind="dm", summary="hi")
    assert my_day(marketer).quiet == []


def test_every_row_links_to_its_page(marketer, marketer_client):
    """Rows carry their URL (one reversal per kind of page, not one per row)."""
    active = accepted_partnership(marketer)  # 2 reels due 2026-12-15
    services.partnership_transition(partnership=active, to_status="active", by=marketer)
    late = Shipment.objects.create(
        partnership=active,
        item="Kopi box",
        status="sent",
        sent_on=TODAY - datetime.timedelta(days=30),
    )

    day = my_day(marketer, today=TODAY)
    assert [d.url for d in day.deliverables] == [active.get_absolute_url()]
    assert [s.url for s in day.shipments] == [active.get_absolute_url()]
    assert late in day.shipments

    # On the page (today's date: the partnership has gone quiet, the parcel is late).
    body = marketer_client.get("/").content.decode()
    assert f'<a href="{active.influencer.get_absolute_url()}#contacts">' in body
    assert f'<a href="{active.get_absolute_url()}">' in body
    body = marketer_client.get("/?section=quiet").content.decode()
    assert f'<a href="{active.influencer.get_absolute_url()}#contacts">' in body


def test_shipments_sent_but_not_delivered(marketer, settings):
    settings.MY_DAY_SHIPMENT_DAYS = 7
    partnership = make_partnership(by=marketer)
    late = Shipment.objects.create(
        partnership=partnership,
        item="Kopi box",
        status="sent",
        sent_on=TODAY - datetime.timedelta(days=9),
    )
    Shipment.objects.create(
        partnership=partnership,
        item="Recent",
        status="sent",
        sent_on=TODAY - datetime.timedelta(days=2),
    )
    Shipment.objects.create(
        partnership=partnership,
        item="Arrived",
        status="delivered",
        sent_on=TODAY - datetime.timedelta(days=9),
        delivered_on=TODAY,
    )
    assert my_day(marketer, today=TODAY).shipments == [late]


def test_invitations_not_accepted(marketer):
    from influencers.invite import influencer_invite

    aina = ChannelFactory(
        influencer__owner=marketer, influencer__email="aina@inbox.test"
    ).influencer
    influencer_invite(influencer=aina, by=marketer)
    assert [i.pk for i in my_day(marketer).invitations] == [aina.pk]


def test_the_home_page_shows_my_day(marketer_client, marketer):
    aina = ChannelFactory(influencer__name="Aina Sofea", influencer__owner=marketer).influencer
    rel.follow_up_create(
        influencer=aina,
        what="Call Aina about Raya",
        due_on=timezone.localdate(),
        assignee=marketer,
        by=marketer,
    )
    body = marketer_client.get("/").content.decode()
    assert "Call Aina about Raya" in body
    assert "1 thing to look at today." in body


@pytest.mark.parametrize("size", [2, 14])
def test_my_day_query_count_is_constant(marketer_client, marketer, django_assert_num_queries, size):
    for _ in range(size):
        p = accepted_partnership(marketer)
        services.partnership_transition(partnership=p, to_status="active", by=marketer)
        rel.follow_up_create(
            influencer=p.influencer,
            what="x",
            due_on=timezone.localdate(),
            assignee=marketer,
            by=marketer,
        )
        Shipment.objects.create(
            partnership=p,
            item="Box",
            status="sent",
            sent_on=timezone.localdate() - datetime.timedelta(days=30),
        )
    marketer_client.get("/")  # the first view after login saves the session once
    # Session, user, then one query per section (follow-ups in two; late deliverables and
    # this week's in one), the data sources needing the user, the creators' connections
    # lapsing, and the posts missing their disclosure.
    with django_assert_num_queries(13):
        response = marketer_client.get("/")
    assert response.status_code == 200
    # Past the limit a section shows its first rows and links the rest (here the
    # follow-ups due today, the partnerships gone quiet and the shipments).
    assert response.content.decode().count('class="list-group-item small my-day-more"') == (
        3 if size > SECTION_LIMIT else 0
    )


def _overdue_follow_ups(marketer, n):
    aina = ChannelFactory(influencer__name="Aina", influencer__owner=marketer).influencer
    for i in range(n):
        rel.follow_up_create(
            influencer=aina,
            what=f"Chase {i}",
            due_on=timezone.localdate() - datetime.timedelta(days=1 + i),
            assignee=marketer,
            by=marketer,
        )


def test_a_long_section_shows_its_first_rows_and_links_the_rest(marketer_client, marketer):
    _overdue_follow_ups(marketer, SECTION_LIMIT + 3)

    day = my_day(marketer)
    assert len(day.overdue) == SECTION_LIMIT
    assert day.totals["overdue"] == SECTION_LIMIT + 3
    assert day.more["overdue"] == 3
    assert day.count == SECTION_LIMIT + 3  # the total, not what is shown

    body = marketer_client.get("/").content.decode()
    assert body.count('id="follow-up-') == SECTION_LIMIT
    assert f"{SECTION_LIMIT + 3} overdue" in body
    assert '<a href="/?section=overdue">and 3 more</a>' in body


def test_a_section_opened_on_its_own_lists_every_item_a_page_at_a_time(
    marketer_client, marketer, django_assert_max_num_queries
):
    _overdue_follow_ups(marketer, SECTION_PAGE_SIZE + 2)
    marketer_client.get("/")

    with django_assert_max_num_queries(6):
        body = marketer_client.get("/?section=overdue").content.decode()
    assert body.count('id="follow-up-') == SECTION_PAGE_SIZE
    assert "Back to My day" in body
    assert "Page 1 of 2" in body
    assert "my-day-more" not in body

    body = marketer_client.get("/?section=overdue&page=2").content.decode()
    assert body.count('id="follow-up-') == 2
    # Most overdue first: the latest two (due yesterday and the day before) come last.
    assert "Chase 0<" in body and "Chase 1<" in body


def test_an_unknown_section_shows_the_whole_day(marketer_client, marketer):
    _overdue_follow_ups(marketer, 1)
    body = marketer_client.get("/?section=bogus").content.decode()
    assert "1 thing to look at today." in body


def test_a_piece_sent_back_for_a_fix_counts_as_not_handed_in(marketer):
    from partnerships.models import Submission

    partnership = accepted_partnership(marketer)
    deliverable = partnership.versions.get().deliverables.get()
    for piece, status in ((1, "approved"), (2, "needs_fix")):
        Submission.objects.create(
            partnership=partnership,
            deliverable=deliverable,
            piece=piece,
            status=status,
            post_url=f"https://www.instagram.com/reel/{piece}/",
            submitted_by=partnership.influencer.user,
        )
    [due] = my_day(marketer, today=TODAY).deliverables
    assert due.handed_in == 1


def hand_in(partnership, piece, status="submitted", days_ago=0):
    from partnerships.models import Submission

    return Submission.objects.create(
        partnership=partnership,
        deliverable=partnership.versions.get().deliverables.get(),
        piece=piece,
        status=status,
        post_url=f"https://www.instagram.com/reel/{partnership.pk}-{piece}/",
        submitted_by=partnership.influencer.user,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_posts_waiting_for_review_oldest_first(marketer, manager):
    mine = accepted_partnership(marketer)
    newer = hand_in(mine, 1, days_ago=1)
    older = hand_in(mine, 2, days_ago=3)
    other = accepted_partnership(marketer)
    hand_in(other, 1, status="approved")
    hand_in(other, 2, status="needs_fix")
    hand_in(accepted_partnership(manager), 1)  # someone else's partnership

    day = my_day(marketer, today=TODAY)

    assert day.to_review == [older, newer]
    assert day.count == len(day.to_review) + len(day.deliverables) + len(day.quiet)


def test_the_home_page_links_a_post_to_its_review(marketer_client, marketer):
    partnership = accepted_partnership(marketer)
    submission = hand_in(partnership, 1)
    body = marketer_client.get("/").content.decode()
    assert "Posts waiting for your review" in body
    assert f"/partnerships/{partnership.pk}/#review-deliverable-{submission.deliverable_id}" in body


def test_overdue_deliverables_are_listed_apart_not_as_due_this_week(marketer_client, marketer):
    partnership = accepted_partnership(marketer)  # 2 reels due 2026-12-15
    deliverable = partnership.versions.get().deliverables.get()

    late = my_day(marketer, today=datetime.date(2026, 12, 20))
    assert late.overdue_deliverables == [deliverable]
    assert late.deliverables == []
    assert late.count == 1

    on_time = my_day(marketer, today=TODAY)
    assert (on_time.overdue_deliverables, on_time.deliverables) == ([], [deliverable])

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 12, 20))
        body = marketer_client.get("/").content.decode()
    assert "Overdue deliverables" in body
    assert "Deliverables due this week" not in body


# --- A viewer's home: the team's backlog, read-only ------------------------------------


def test_a_viewer_sees_team_counts_and_nothing_of_their_own(marketer, manager, viewer):
    aina = ChannelFactory(influencer__owner=marketer).influencer
    for assignee in (marketer, manager):
        rel.follow_up_create(
            influencer=aina,
            what="Late",
            due_on=TODAY - datetime.timedelta(days=1),
            assignee=assignee,
            by=marketer,
        )
    rel.follow_up_create(  # due today: not overdue
        influencer=aina, what="Today", due_on=TODAY, assignee=marketer, by=marketer
    )
    hand_in(accepted_partnership(marketer), 1)  # its 2 reels are due 2026-12-15
    hand_in(accepted_partnership(manager), 1, status="approved")

    day = my_day(viewer, today=datetime.date(2026, 12, 20))

    assert day.team.overdue_follow_ups == 3  # all three are before 2026-12-20
    assert day.team.overdue_deliverables == 2
    assert day.team.to_review == 1
    assert day.team.waiting_terms == 0
    assert day.count == 6
    assert (day.overdue, day.due_today, day.deliverables, day.to_review) == ([], [], [], [])
    assert my_day(viewer, today=TODAY).team.overdue_follow_ups == 2
    assert my_day(marketer, today=TODAY).team is None


def test_a_viewers_home_is_read_only(viewer_client, marketer, viewer):
    aina = ChannelFactory(influencer__owner=marketer).influencer
    follow_up = rel.follow_up_create(
        influencer=aina,
        what="Call Aina",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        assignee=marketer,
        by=marketer,
    )
    hand_in(accepted_partnership(marketer), 1)

    body = viewer_client.get("/").content.decode()

    assert "Team overview" in body
    assert 'data-team="overdue-follow-ups"' in body
    assert 'data-team="to-review"' in body
    assert f"/follow-ups/{follow_up.pk}/" not in body
    assert "hx-post" not in body
    assert "Log contacts" not in body
    # The only forms are the navbar's log-out and the language switch.
    assert body.count("<form") == 2


def test_an_empty_viewer_home_invites_no_writing(viewer_client):
    body = viewer_client.get("/").content.decode()
    assert "Nothing is waiting on the team today." in body
    assert "Log contacts" not in body
