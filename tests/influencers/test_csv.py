"""CSV import (upload -> preview -> confirm, all or nothing) and export."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from influencers import services
from influencers.models import Channel, Influencer, Stage, StageChange
from influencers.spreadsheet import rows as csv_io
from tests.factories import ChannelFactory

IMPORT = reverse("influencers:import")
CONFIRM = reverse("influencers:import_confirm")
TEMPLATE = reverse("influencers:import_template")
EXPORT = reverse("influencers:export")

HEADER = "name,email,phone,stage,languages,niches,instagram,instagram_followers,tiktok,blog"


def upload(client, content: str | bytes, filename: str = "roster.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(IMPORT, {"file": SimpleUploadedFile(filename, data, "text/csv")})


def preview(client, content: str | bytes):
    """Upload, follow to the preview; returns (preview response, token)."""
    response = upload(client, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    token = parse_qs(urlsplit(response.url).query)["token"][0]
    return client.get(response.url), token


def confirm(client, token: str):
    return client.post(CONFIRM, {"token": token})


def rows_of(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def nurul(marketer):
    influencer = services.influencer_create(
        by=marketer, name="Nurul Izzah", email="Nurul@Inbox.test"
    )
    services.channel_add(influencer=influencer, platform="instagram", handle="@nurul.eats")
    return influencer


# --- Happy path ------------------------------------------------------------------------


def test_upload_preview_confirm_creates_influencers_channels_and_history(marketer_client, manager):
    content = (
        "\ufeff" + HEADER + ",owner_email,Unknown Column\n"
        "Aina Rahman,Aina@Example.com,+60 12-345 6789,,Malay; English,food;travel,"
        '@Aina.Eats,"12,500",https://www.tiktok.com/@aina.eats,,manager@brand.test,x\n'
        'Daniel Tan,,,researched,English,tech,,,,"https://danieltan.example.com/",,\n'
        ",,,,,,,,,,,\n"  # blank line: skipped, still counts for row numbers
        "Siti,siti@example.com,,Prospect,,,instagram.com/siti_s,8.2k,,,,\n"
    )
    page, token = preview(marketer_client, content)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Aina Rahman" in html and "Daniel Tan" in html and "Siti" in html
    assert "3 rows" in html and "0 with errors" in html
    assert "unknown_column" in html  # reported once as a warning
    assert 'name="token"' in html
    assert Influencer.objects.count() == 0  # nothing written before confirm

    response = confirm(marketer_client, token)

    assert response.status_code == 302
    assert response.url == reverse("influencers:list")
    aina = Influencer.objects.get(name="Aina Rahman")
    assert aina.email == "aina@example.com"
    assert aina.phone == "+60 12-345 6789"
    assert aina.languages == ["Malay", "English"]
    assert aina.niches == ["food", "travel"]
    assert aina.owner == manager
    assert aina.stage == Stage.PROSPECT
    instagram, tiktok = aina.channels.order_by("-is_primary")
    assert (instagram.platform, instagram.handle, instagram.followers) == (
        "instagram",
        "aina.eats",
        12500,
    )
    assert instagram.is_primary and instagram.followers_as_of == timezone.localdate()
    assert (tiktok.handle, tiktok.is_primary) == ("aina.eats", False)
    daniel = Influencer.objects.get(name="Daniel Tan")
    assert daniel.stage == Stage.RESEARCHED
    assert daniel.owner.email == "admin@brand.test"  # empty owner_email: whoever imported
    assert daniel.channels.get().handle == "danieltan.example.com"
    assert Channel.objects.get(handle="siti_s").followers == 8200
    history = StageChange.objects.filter(influencer=daniel).get()
    assert (history.from_stage, history.to_stage, history.changed_by.email) == (
        "",
        Stage.RESEARCHED,
        "admin@brand.test",
    )
    assert StageChange.objects.count() == 3


def test_confirming_twice_imports_once(marketer_client):
    _page, token = preview(marketer_client, "name\nAina\n")
    assert confirm(marketer_client, token).status_code == 302

    again = confirm(marketer_client, token)

    assert again.status_code == 302 and again.url == IMPORT
    assert Influencer.objects.count() == 1


def test_confirm_ignores_row_data_posted_by_the_browser(marketer_client):
    _page, token = preview(marketer_client, "name\nAina\n")

    marketer_client.post(CONFIRM, {"token": token, "name": "Mallory", "rows": "Mallory"})

    assert list(Influencer.objects.values_list("name", flat=True)) == ["Aina"]


def test_unknown_token_is_refused(marketer_client):
    response = marketer_client.post(CONFIRM, {"token": "made-up"})

    assert response.status_code == 302 and response.url == IMPORT
    assert Influencer.objects.count() == 0


# --- Row errors ------------------------------------------------------------------------


def test_row_errors_are_listed_and_nothing_is_written(marketer_client):
    content = (
        HEADER + "\n"
        "Good Row,good@example.com,,,,,@good,,,\n"
        "Bad Email,not-an-email,,,,,,,,\n"
        "Bad Handle,,,,,,https://www.instagram.com/p/abc123/,,,\n"
        "Bad Followers,,,,,,@bad.followers,lots,,\n"
        "Pitched,,,pitched,,,,,,\n"
        "Unknown Stage,,,famous,,,,,,\n"
        ",nameless@example.com,,,,,,,,\n"
        "Followers Alone,,,,,,,500,,\n"
    )
    page, token = preview(marketer_client, content)

    html = page.content.decode()
    assert "8 rows" in html and "7 with errors" in html
    rows = {row.number: row for row in csv_io.parse(content).rows}
    assert rows[2].errors == []
    assert rows[3].errors == [("email", "Enter a valid email address.")]
    assert [column for column, _m in rows[4].errors] == ["instagram"]
    assert "single post" in rows[4].errors[0][1]
    assert rows[5].errors == [
        (
            "instagram_followers",
            "“lots” is not a follower count; write for example 12500, 12,500 or 12.5k.",
        )
    ]
    assert rows[6].errors[0][0] == "stage" and "research" in rows[6].errors[0][1]
    assert rows[7].errors[0][0] == "stage" and "Unknown stage" in rows[7].errors[0][1]
    assert rows[8].errors == [("name", "A name is required.")]
    assert rows[9].errors[0][0] == "instagram_followers" and "no handle" in rows[9].errors[0][1]
    assert "Enter a valid email address." in html and "text-danger" in html
    assert "Import 8 influencers" not in html  # no all-or-nothing button
    assert "Import the 1 valid row, download the rejected (7) as CSV" in html

    response = confirm(marketer_client, token)

    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert Influencer.objects.count() == 0
    assert Channel.objects.count() == 0


def test_owner_must_be_an_existing_marketer(marketer_client, influencer_user):
    content = "name,owner_email\nA,nobody@brand.test\nB,creator@inbox.test\nC,ADMIN@brand.test\n"
    rows = csv_io.parse(content).rows

    assert [row.errors[0][0] for row in rows[:2]] == ["owner_email", "owner_email"]
    assert rows[2].errors == [] and rows[2].fields["owner"].email == "admin@brand.test"


def test_a_row_longer_than_the_header_is_an_error(db):
    rows = csv_io.parse("name,email\nA,a@example.com,surprise\nB,b@example.com,\n").rows

    assert [bool(row.errors) for row in rows] == [True, False]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12500", 12500),
        ("12,500", 12500),
        ("1,234,567", 1234567),
        ("12 500", 12500),
        ("12.5k", 12500),
        ("12K", 12000),
        ("1.2m", 1200000),
        ("0", 0),
    ],
)
def test_follower_counts_people_write(raw, expected):
    assert csv_io.parse_followers(raw) == expected


@pytest.mark.parametrize(
    "raw", ["-5", "12.500", "12,50", "about 5000", "1.2345k", "5e3", "99999999999", "½"]
)
def test_follower_garbage_is_refused_not_guessed(raw):
    with pytest.raises(ValidationError):
        csv_io.parse_followers(raw)


# --- Duplicates ------------------------------------------------------------------------


def test_duplicates_within_the_file_name_the_other_row(marketer_client):
    content = (
        "name,email,instagram\n"
        "One,same@example.com,@Name\n"
        "Two,SAME@example.com,\n"
        "Three,,https://www.instagram.com/name?igsh=x\n"
        "Four,,instagram.com/other\n"
    )
    page, token = preview(marketer_client, content)

    rows = csv_io.parse(content).rows
    assert ("email", "Same email as row 3.") in rows[0].errors
    assert ("instagram", "Same account as row 4.") in rows[0].errors
    assert rows[1].errors == [("email", "Same email as row 2.")]
    assert rows[2].errors == [("instagram", "Same account as row 2.")]
    assert rows[3].errors == []
    assert "Same account as row 4." in page.content.decode()
    confirm(marketer_client, token)
    assert Influencer.objects.count() == 0


def test_duplicates_against_the_roster_name_the_influencer(marketer_client, nurul):
    content = (
        "name,email,instagram\n"
        "Copy By Email,NURUL@inbox.test,\n"
        "Copy By Link,,https://www.instagram.com/Nurul.Eats/?igsh=abc\n"
        "New,new@example.com,@new.person\n"
    )
    page, token = preview(marketer_client, content)

    html = page.content.decode()
    assert "Nurul Izzah already uses this email." in html
    assert "This Instagram account already belongs to Nurul Izzah." in html
    assert "2 with errors" in html
    confirm(marketer_client, token)
    assert list(Influencer.objects.values_list("name", flat=True)) == ["Nurul Izzah"]


def test_confirm_checks_again_and_writes_nothing_if_a_duplicate_appeared(marketer_client, marketer):
    content = "name,email,instagram\nFirst,first@example.com,@first\nLate,,@taken.meanwhile\n"
    page, token = preview(marketer_client, content)
    assert 'name="token"' in page.content.decode()
    someone = services.influencer_create(by=marketer, name="Quick Colleague")
    services.channel_add(influencer=someone, platform="instagram", handle="taken.meanwhile")

    response = confirm(marketer_client, token)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "already belongs to Quick Colleague" in html
    assert not Influencer.objects.filter(name="First").exists()


def test_a_clash_at_write_time_rolls_back_every_row(marketer):
    parsed = csv_io.parse("name,instagram\nFirst,@first\nSecond,@second\n")
    assert parsed.ok
    # Someone saves the same account between the check and the write.
    ChannelFactory(handle="second")

    assert csv_io.import_rows(parsed, by=marketer) is None

    assert not Influencer.objects.filter(name__in=["First", "Second"]).exists()
    assert Channel.objects.count() == 1
    again = csv_io.parse("name,instagram\nFirst,@first\nSecond,@second\n")
    assert "already belongs to" in again.rows[1].errors[0][1]


def test_a_big_import_is_a_handful_of_queries(marketer, django_assert_max_num_queries):
    rows = "\n".join(f"Creator {i},@creator_{i},{1000 + i}" for i in range(1500))
    parsed = csv_io.parse("name,instagram,instagram_followers\n" + rows)
    assert parsed.ok
    with django_assert_max_num_queries(12):
        created = csv_io.import_rows(parsed, by=marketer)
    assert len(created) == 1500
    assert Channel.objects.filter(is_primary=True).count() == 1500
    assert StageChange.objects.count() == 1500


# --- File-level problems ---------------------------------------------------------------


def test_oversized_file_is_refused(marketer_client, settings):
    settings.INFLUENCER_IMPORT_MAX_BYTES = 100
    response = upload(marketer_client, "name\n" + "Somebody Quite Long\n" * 10)

    assert response.status_code == 200
    assert "larger than 100" in response.content.decode()
    assert Influencer.objects.count() == 0


def test_more_than_5000_rows_is_refused(marketer_client):
    response = upload(marketer_client, "name\n" + "".join(f"P{n}\n" for n in range(5001)))

    assert response.status_code == 200
    assert "more than 5,000 rows" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,email\nZoë,z@example.com\n".encode("latin-1"), "not UTF-8"),
        (b"PK\x03\x04\x14\x00\x00\x00binary", "not a CSV text file"),
        ("name,email\nA,a@example.com\n".encode("utf-16"), "not a CSV text file"),
        ("", "empty"),
        ("email,phone\na@example.com,1\n", "required column “name” is missing"),
        ("name;email\nA;a@example.com\n", "semicolons"),
        ("name\temail\nA\ta@example.com\n", "semicolons or tabs"),
        ("name\n", "no rows to import"),
        ('name,bio\nA,"unclosed\n', "not valid CSV"),
        ("name,name\nA,B\n", "appears more than once"),
    ],
)
def test_unreadable_files_get_a_clear_message(marketer_client, content, message):
    response = upload(marketer_client, content)

    assert response.status_code == 200
    assert message in response.content.decode()


def test_upload_page_renders_with_the_form(marketer_client):
    response = marketer_client.get(IMPORT)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and "instagram_followers" in html


# --- Template --------------------------------------------------------------------------


def test_template_has_the_header_and_two_example_rows_that_import_cleanly(marketer_client):
    response = marketer_client.get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *examples = rows_of(response)
    assert tuple(header) == csv_io.COLUMNS
    assert len(examples) == 2
    parsed = csv_io.parse(response.content.decode("utf-8-sig"))
    assert parsed.ok, [row.errors for row in parsed.rows]


# --- Export ----------------------------------------------------------------------------


def test_export_neutralises_formulas_and_leaves_out_internal_notes(marketer_client, marketer):
    services.influencer_create(
        by=marketer,
        name='=HYPERLINK("https://evil.example","click")',
        phone="+60123456789",
        bio="-minus and @at",
        internal_notes="secret negotiation notes",
    )

    response = marketer_client.get(EXPORT)

    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="influencers-{today}.csv"'
    header, row = rows_of(response)
    values = dict(zip(header, row, strict=True))
    assert values["name"] == '\'=HYPERLINK("https://evil.example","click")'
    assert values["phone"] == "'+60123456789"
    assert values["bio"] == "'-minus and @at"
    assert "internal_notes" not in header
    assert "secret" not in response.content.decode()


def test_export_has_the_import_columns_and_channel_urls(marketer_client, nurul, marketer):
    services.channel_add(influencer=nurul, platform="tiktok", handle="@nurul.eats", followers=900)
    nurul.languages, nurul.niches = ["Malay", "English"], ["food"]
    nurul.save()

    header, row = rows_of(marketer_client.get(EXPORT))

    values = dict(zip(header, row, strict=True))
    assert tuple(header) == csv_io.COLUMNS
    assert values["instagram"] == "https://www.instagram.com/nurul.eats/"
    assert (values["tiktok"], values["tiktok_followers"]) == (
        "https://www.tiktok.com/@nurul.eats",
        "900",
    )
    assert values["languages"] == "Malay; English"
    assert values["owner_email"] == marketer.email
    assert values["stage"] == "prospect"


def test_export_honours_the_list_filters(marketer_client, marketer, nurul):
    researched = services.influencer_create(by=marketer, name="Daniel Tan", stage=Stage.RESEARCHED)
    services.influencer_create(by=marketer, name="Prospect Person")

    by_stage = rows_of(marketer_client.get(EXPORT, {"stage": "researched"}))
    by_search = rows_of(marketer_client.get(EXPORT, {"q": "nurul"}))
    by_platform = rows_of(marketer_client.get(EXPORT, {"platform": "instagram"}))

    assert [row[0] for row in by_stage[1:]] == [researched.name]
    assert [row[0] for row in by_search[1:]] == ["Nurul Izzah"]
    assert [row[0] for row in by_platform[1:]] == ["Nurul Izzah"]


def _export_queries(client, marketer, count: int) -> int:
    for n in range(count):
        influencer = services.influencer_create(by=marketer, name=f"Person {n}")
        services.channel_add(influencer=influencer, platform="instagram", handle=f"person_{n}")
        services.channel_add(influencer=influencer, platform="x", handle=f"person_{n}")
    client.get(EXPORT)  # warm up the session and the user lookups
    with CaptureQueriesContext(connection) as queries:
        response = client.get(EXPORT)
    assert len(rows_of(response)) == count + 1
    Influencer.objects.all().delete()
    return len(queries)


def test_export_query_count_does_not_grow_with_rows(marketer_client, marketer):
    assert _export_queries(marketer_client, marketer, 5) == _export_queries(
        marketer_client, marketer, 50
    )


def test_an_export_imports_back_unchanged(marketer_client, marketer):
    influencer = services.influencer_create(
        by=marketer,
        name="-Dash Name",
        email="dash@example.com",
        phone="+60 12 345",
        languages=["malay"],
        niches=["food", "travel"],
        bio='Says "hi", often',
        stage=Stage.RESEARCHED,
    )
    services.channel_add(
        influencer=influencer,
        platform="youtube",
        handle="https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
        followers=45000,
    )
    services.channel_add(influencer=influencer, platform="blog", handle="dash.example.com/food")
    exported = marketer_client.get(EXPORT).content
    Influencer.objects.all().delete()

    _page, token = preview(marketer_client, exported)
    assert confirm(marketer_client, token).status_code == 302

    again = Influencer.objects.get()
    assert (again.name, again.email, again.phone, again.bio) == (
        "-Dash Name",
        "dash@example.com",
        "+60 12 345",
        'Says "hi", often',
    )
    assert (again.languages, again.niches, again.stage) == (
        ["malay"],
        ["food", "travel"],
        "researched",
    )
    assert set(again.channels.values_list("platform", "handle", "followers")) == {
        ("youtube", "UCabcdefghijklmnopqrstuv", 45000),
        ("blog", "dash.example.com/food", None),
    }


# --- Access ----------------------------------------------------------------------------


def test_viewer_cannot_import(viewer_client):
    assert viewer_client.get(IMPORT).status_code == 403
    assert upload(viewer_client, "name\nSneaky\n").status_code == 403
    assert viewer_client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert Influencer.objects.count() == 0


def test_viewer_can_export_and_download_the_template(viewer_client):
    assert viewer_client.get(EXPORT).status_code == 200
    assert viewer_client.get(TEMPLATE).status_code == 200


@pytest.mark.parametrize("url", [IMPORT, CONFIRM, TEMPLATE, EXPORT])
def test_influencer_user_gets_403(influencer_client, url):
    assert influencer_client.get(url).status_code == 403
    assert influencer_client.post(url).status_code == 403


@pytest.mark.parametrize("url", [IMPORT, CONFIRM, TEMPLATE, EXPORT])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302 and "/login/" in response.url
