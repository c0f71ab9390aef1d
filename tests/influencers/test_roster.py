import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from influencers import services
from influencers.models import Channel, Influencer, ResearchItem, Stage, StageChange
from tests.factories import ChannelFactory, InfluencerFactory, complete_research


@pytest.fixture
def nurul(marketer):
    return services.influencer_create(by=marketer, name="Nurul Izzah", email="nurul@inbox.test")


# --- Channels ------------------------------------------------------------------


def test_adding_a_channel_normalises_it_and_first_one_is_primary(nurul):
    channel = services.channel_add(
        influencer=nurul, platform="instagram", handle="https://instagram.com/Nurul.Eats?igsh=x"
    )
    assert channel.handle == "nurul.eats"
    assert channel.profile_url == "https://www.instagram.com/nurul.eats/"
    assert channel.is_primary


def test_duplicate_channel_is_refused_naming_the_other_profile(nurul, marketer):
    services.channel_add(influencer=nurul, platform="instagram", handle="@nurul.eats")
    jason = services.influencer_create(by=marketer, name="Jason Lim")

    with pytest.raises(ValidationError) as caught:
        services.channel_add(
            influencer=jason, platform="instagram", handle="instagram.com/Nurul.Eats/"
        )
    assert "already belongs to Nurul Izzah" in caught.value.messages[0]


def test_database_refuses_a_duplicate_channel_whatever_the_code_path(nurul, marketer):
    ChannelFactory(influencer=nurul, handle="same")
    other = InfluencerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.create(
            influencer=other, platform="instagram", handle="same", profile_url="https://x.test/"
        )


def test_duplicate_channel_form_error_names_the_other_profile(marketer_client, nurul, marketer):
    services.channel_add(influencer=nurul, platform="tiktok", handle="@nurul.eats")
    jason = services.influencer_create(by=marketer, name="Jason Lim")

    response = marketer_client.post(
        reverse("influencers:channel_add", args=[jason.pk]),
        {"platform": "tiktok", "handle": "https://www.tiktok.com/@Nurul.Eats"},
    )
    assert response.status_code == 200
    assert "already belongs to Nurul Izzah" in response.content.decode()
    assert not jason.channels.exists()


def test_one_primary_channel_at_a_time(nurul):
    first = services.channel_add(influencer=nurul, platform="instagram", handle="nurul")
    second = services.channel_add(
        influencer=nurul, platform="youtube", handle="@nurul", is_primary=True
    )
    first.refresh_from_db()
    assert second.is_primary and not first.is_primary
    services.channel_remove(channel=second)
    first.refresh_from_db()
    assert first.is_primary


def test_tier_follows_the_follower_count():
    assert [ChannelFactory.build(followers=n).tier for n in (999, 10_000, 150_000, 600_000)] == [
        "nano",
        "micro",
        "mid",
        "macro",
    ]


# --- Pipeline -------------------------------------------------------------------


def test_pitching_needs_the_research_checklist_complete(nurul, marketer):
    with pytest.raises(ValidationError) as caught:
        services.influencer_move_stage(influencer=nurul, to_stage=Stage.PITCHED, by=marketer)
    message = caught.value.messages[0]
    assert "Finish the research" in message
    assert "Audience fit" in message and "Red flags checked" in message
    nurul.refresh_from_db()
    assert nurul.stage == Stage.PROSPECT


def test_an_item_without_a_note_does_not_count(nurul, marketer):
    answers = {item: (True, "seen") for item in ResearchItem.values}
    answers[ResearchItem.RED_FLAGS] = (True, "  ")
    services.research_update(influencer=nurul, by=marketer, answers=answers)
    with pytest.raises(ValidationError, match="Red flags checked"):
        services.influencer_move_stage(influencer=nurul, to_stage=Stage.ACTIVE, by=marketer)


def test_a_filled_note_counts_as_done_without_a_tick(nurul, marketer):
    answers = {item: (False, f"found {item}") for item in ResearchItem.values}
    services.research_update(influencer=nurul, by=marketer, answers=answers)
    moved = services.influencer_move_stage(influencer=nurul, to_stage=Stage.PITCHED, by=marketer)
    assert moved.stage == Stage.PITCHED
    assert all(check.done for check in nurul.research_checks.all())


def test_research_and_decline_need_no_checklist(nurul, marketer):
    services.influencer_move_stage(influencer=nurul, to_stage=Stage.RESEARCHED, by=marketer)
    services.influencer_move_stage(influencer=nurul, to_stage=Stage.DECLINED, by=marketer)
    nurul.refresh_from_db()
    assert nurul.stage == Stage.DECLINED


def test_every_stage_change_is_recorded_with_who_and_when(nurul, marketer):
    complete_research(nurul, by=marketer)
    services.influencer_move_stage(influencer=nurul, to_stage=Stage.RESEARCHED, by=marketer)
    services.influencer_move_stage(influencer=nurul, to_stage=Stage.PITCHED, by=marketer)

    history = list(StageChange.objects.filter(influencer=nurul).order_by("changed_at", "pk"))
    assert [(h.from_stage, h.to_stage) for h in history] == [
        ("", "prospect"),
        ("prospect", "researched"),
        ("researched", "pitched"),
    ]
    assert all(h.changed_by == marketer and h.changed_at for h in history)


def test_moving_to_the_same_stage_records_nothing(nurul, marketer):
    services.influencer_move_stage(influencer=nurul, to_stage=Stage.PROSPECT, by=marketer)
    assert nurul.stage_changes.count() == 1


def test_board_move_with_htmx_returns_the_board_with_the_reason(marketer_client, nurul):
    response = marketer_client.post(
        reverse("influencers:move", args=[nurul.pk]),
        {"stage": "pitched", "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Finish the research" in body
    assert 'class="board"' in body


def test_detail_page_move_explains_what_is_missing(marketer_client, nurul):
    response = marketer_client.post(
        reverse("influencers:move", args=[nurul.pk]), {"stage": "negotiating"}, follow=True
    )
    body = response.content.decode()
    assert "Missing: Audience fit" in body
    assert f'<a href="{reverse("influencers:research", args=[nurul.pk])}">' in body


def test_moving_to_pitched_names_the_new_stage(marketer_client, nurul, marketer):
    complete_research(nurul, by=marketer)
    response = marketer_client.post(
        reverse("influencers:move", args=[nurul.pk]), {"stage": "pitched"}, follow=True
    )
    body = response.content.decode()
    assert "Moved to Pitched." in body
    assert "Moved to Prospect" not in body


# --- Views ---------------------------------------------------------------------


def test_marketer_creates_an_influencer_in_the_browser_form(marketer_client, marketer):
    response = marketer_client.post(
        reverse("influencers:create"),
        {
            "name": "Siti Aminah",
            "email": "Siti@Inbox.test",
            "country": "Malaysia",
            "languages": "Malay, English",
            "niches": "Food, #Travel, food",
            "owner": marketer.pk,
        },
    )
    siti = Influencer.objects.get(name="Siti Aminah")
    assert response["Location"] == siti.get_absolute_url()
    assert siti.email == "siti@inbox.test"
    assert siti.niches == ["food", "travel"]
    assert siti.stage_changes.get().to_stage == Stage.PROSPECT


def test_create_form_reports_errors_per_field(marketer_client, nurul):
    response = marketer_client.post(
        reverse("influencers:create"), {"name": "", "email": "NURUL@inbox.test"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors
    assert "Nurul Izzah already uses this email." in form.errors["email"]


def test_research_form_has_one_note_per_item_and_each_label_once(marketer_client, nurul):
    body = marketer_client.get(reverse("influencers:research", args=[nurul.pk])).content.decode()
    assert body.count("Audience fit") == 1
    assert 'type="checkbox"' not in body


def test_research_form_saves_a_note_as_done(marketer_client, nurul):
    response = marketer_client.post(
        reverse("influencers:research", args=[nurul.pk]), {"audience_fit_note": "Klang Valley"}
    )
    assert response.status_code == 302
    check = nurul.research_checks.get(item=ResearchItem.AUDIENCE_FIT)
    assert check.done and check.note == "Klang Valley"
    assert not nurul.research_checks.get(item=ResearchItem.RED_FLAGS).done


def test_track_record_card_says_it_starts_with_the_first_partnership(marketer_client, nurul):
    body = marketer_client.get(nurul.get_absolute_url()).content.decode()
    assert "Track record" in body
    assert "their track record starts with the first" in body


def test_detail_page_shows_empty_states_for_later_sections(marketer_client, nurul):
    body = marketer_client.get(nurul.get_absolute_url()).content.decode()
    assert "No partnerships with this influencer yet." in body
    assert "No contacts logged yet." in body
    assert "No channels yet." in body


def test_list_searches_by_handle_and_tag(marketer_client, marketer):
    a = services.influencer_create(by=marketer, name="Alpha", niches=["beauty"])
    services.channel_add(influencer=a, platform="tiktok", handle="@glowup.alpha")
    services.channel_add(influencer=a, platform="instagram", handle="@glowup.alpha.ig")
    services.influencer_create(by=marketer, name="Beta", niches=["gaming"])

    def names(q):
        return [i.name for i in marketer_client.get("/influencers/", {"q": q}).context["page"]]

    # Two matching handles, still one row (and one in the count).
    assert names("@glowup") == ["Alpha"]
    page = marketer_client.get("/influencers/", {"q": "GLOWUP"}).context["page"]
    assert page.paginator.count == 1
    assert names("gaming") == ["Beta"]


def test_list_filters_by_follower_range_platform_and_stage(marketer_client):
    small = ChannelFactory(followers=3_000).influencer
    big = ChannelFactory(followers=80_000, platform="youtube").influencer
    response = marketer_client.get("/influencers/", {"min_followers": 10_000})
    assert list(response.context["page"]) == [big]
    response = marketer_client.get("/influencers/", {"platform": "instagram"})
    assert list(response.context["page"]) == [small]
    response = marketer_client.get("/influencers/", {"stage": "active"})
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow_with_rows(marketer_client, django_assert_num_queries, rows):
    for _ in range(rows):
        ChannelFactory.create_batch(2, influencer=InfluencerFactory())
    # session + user, count, one page of influencers, their channels, owner choices,
    # and the session save (savepoint, update, release) of the first view after login.
    with django_assert_num_queries(10):
        response = marketer_client.get("/influencers/", {"sort": "-followers"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_board_query_count_does_not_grow_with_rows(
    marketer_client, django_assert_num_queries, rows
):
    InfluencerFactory.create_batch(rows)
    # session + user, totals per stage, first cards per stage, first-view session save (3).
    with django_assert_num_queries(7):
        marketer_client.get(reverse("influencers:board"))


def test_board_shows_the_first_cards_per_stage_and_counts_the_rest(marketer_client):
    from influencers import views

    InfluencerFactory.create_batch(views.BOARD_CARDS_PER_STAGE + 3)
    response = marketer_client.get(reverse("influencers:board"))
    prospects = response.context["columns"][0]
    assert (len(prospects.cards), prospects.total) == (views.BOARD_CARDS_PER_STAGE, 43)
    assert "and 3 more in the list" in response.content.decode()


def test_board_cards_share_one_move_menu_and_link_to_the_stage_form_without_js(
    marketer_client,
):
    mei = InfluencerFactory(name="Mei Ling", stage="negotiating")
    farah = InfluencerFactory(name="Farah Hassan")
    body = marketer_client.get(reverse("influencers:board")).content.decode()

    for influencer in (mei, farah):
        url = influencer.get_absolute_url()
        assert f'href="{url}"' in body
        # Without JavaScript "Move" opens the profile's stage form.
        assert f'<a class="board-move" href="{url}#id_stage">' in body
    # The stages are offered once for the whole board, not per card.
    assert body.count('id="board-move"') == 1
    assert body.count('name="stage"') == len(Stage.choices)
    assert f'data-move-url="{reverse("influencers:move", args=[0])}"' in body
    card = body[body.index(f'data-influencer="{mei.pk}"') :].split("</article>")[0]
    assert "<option" not in card and "<form" not in card


def test_profile_has_the_stage_form_the_board_links_to(marketer_client):
    influencer = InfluencerFactory()
    body = marketer_client.get(influencer.get_absolute_url()).content.decode()
    assert 'id="id_stage"' in body


def test_a_board_card_costs_a_few_hundred_bytes(marketer_client):
    """Up to 280 cards at agency size: the page is mostly cards, so they are kept small
    (about 1.2 KB each with a move form per card, 0.4 KB with the shared menu)."""
    InfluencerFactory.create_batch(20, name="Nurul Aisyah binti Abdullah")
    before = len(marketer_client.get(reverse("influencers:board")).content)
    InfluencerFactory.create_batch(20, name="Nurul Aisyah binti Abdullah")
    after = len(marketer_client.get(reverse("influencers:board")).content)
    assert (after - before) / 20 < 500


def test_viewer_board_has_no_move_controls(viewer_client):
    InfluencerFactory(name="Mei Ling")
    body = viewer_client.get(reverse("influencers:board")).content.decode()
    assert "Mei Ling" in body
    assert "board-move" not in body


def test_a_channel_in_terms_cannot_be_removed_or_become_another_account(marketer_client, marketer):
    from tests.factories import make_partnership

    partnership = make_partnership(by=marketer)
    channel = partnership.versions.get().deliverables.get().channel
    response = marketer_client.post(
        reverse("influencers:channel_delete", args=[channel.influencer.pk, channel.pk]),
        follow=True,
    )
    assert "cannot be removed" in response.content.decode()
    assert Channel.objects.filter(pk=channel.pk).exists()
    with pytest.raises(ValidationError, match="stays that account"):
        services.channel_update(
            channel=channel, platform="tiktok", handle="@someone_else", followers=5
        )
    # Follower counts may still change.
    services.channel_update(
        channel=channel, platform=channel.platform, handle=channel.handle, followers=99_000
    )


def test_search_has_trigram_indexes_where_postgres_offers_pg_trgm(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            pytest.skip("this Postgres has no pg_trgm (the embedded one): search scans")
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"influencer_name_trgm", "influencer_email_trgm", "channel_handle_trgm"}
