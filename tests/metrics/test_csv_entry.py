"""A marketer uploads a CSV of numbers for a campaign's partnerships: every bad row is
named with its number, nothing is written unless every row is good, uploading the same
file again changes nothing, and the numbers count as typed in (manual). Viewers 403;
influencers are refused (403) by the role middleware before anything is looked up, as
on every marketer page; a missing campaign is 404."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from metrics.manual import csv_entry
from metrics.models import MetricRecord, Source
from metrics.progress import Label, kpi_progress
from tests.factories import make_accepted_partnership, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(marketer, influencer_user):
    return make_accepted_partnership(marketer, influencer_user, "Ina Creator")


@pytest.fixture
def second(marketer, mine):
    return make_partnership(by=marketer, campaign=mine.campaign)


def upload_url(partnership) -> str:
    return reverse("metrics:metric_csv_upload", args=[partnership.campaign_id])


def post(client, partnership, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    upload = SimpleUploadedFile("numbers.csv", data, content_type="text/csv")
    return client.post(upload_url(partnership), {"file": upload})


def csv_text(*rows: str) -> str:
    return "\n".join(("partnership,influencer,metric,day,value", *rows)) + "\n"


def errors(response) -> list[tuple[int, str]]:
    return [(error.row, error.message) for error in response.context["errors"]]


def test_good_rows_are_written_as_csv_and_show_as_manual_progress(marketer_client, mine, second):
    today = timezone.localdate().isoformat()
    text = csv_text(
        f"{mine.pk},Ina Creator,sessions,{today},120",
        f'{second.pk},,views,2026-11-01,"1,500"',
        f"{second.pk},,conversions,2026-11-01,",  # no value: skipped
    )
    response = post(marketer_client, mine, text)
    assert response.status_code == 302
    records = MetricRecord.objects.order_by("partnership_id", "metric")
    assert [(r.partnership_id, r.metric, r.value, r.source) for r in records] == [
        (mine.pk, "sessions", Decimal("120.00"), Source.CSV),
        (second.pk, "views", Decimal("1500.00"), Source.CSV),
    ]
    row = next(row for row in kpi_progress(mine) if row.metric == "sessions")
    assert (row.value, row.label) == (Decimal("120.00"), Label.MANUAL)


def test_uploading_the_same_file_again_changes_nothing_and_a_new_value_replaces(
    marketer_client, mine
):
    text = csv_text(f"{mine.pk},,sessions,2026-11-01,120")
    for _ in range(2):
        assert post(marketer_client, mine, text).status_code == 302
    assert MetricRecord.objects.get().value == Decimal("120.00")
    post(marketer_client, mine, csv_text(f"{mine.pk},,sessions,2026-11-01,90"))
    assert MetricRecord.objects.get().value == Decimal("90.00")


def test_every_bad_row_is_named_and_nothing_is_written(marketer_client, marketer, mine):
    elsewhere = make_partnership(by=marketer)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    text = csv_text(
        f"{mine.pk},,sessions,2026-11-01,120",  # good, but not written
        f"{elsewhere.pk},,sessions,2026-11-01,5",
        f"{mine.pk},,link_clicks_human,2026-11-01,5",
        f"{mine.pk},,views,{tomorrow},5",
        f"{mine.pk},,views,01/11/2026,5",
        f"{mine.pk},,views,2026-11-02,1e5",
        f"{mine.pk},,views,2026-11-03,-4",
        f"{mine.pk},,views,2026-11-04,1.005",
        f'{mine.pk},=HYPERLINK("x"),views,2026-11-05,5',
        f"{mine.pk},,sessions,2026-11-01,7",
        "abc,,views,2026-11-01,5",
    )
    response = post(marketer_client, mine, text)
    assert response.status_code == 400
    found = errors(response)
    assert [row for row, _ in found] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    messages = dict(found)
    assert f"no partnership {elsewhere.pk} in this campaign" in messages[3]
    assert messages[4].startswith("metric:")
    assert "future" in messages[5]
    assert messages[6].startswith("day:")
    assert messages[7] == "value: not a number."
    assert "between 0" in messages[8] and "between 0" in messages[9]
    assert "formula" in messages[10]
    assert "row 2" in messages[11]
    assert messages[12].startswith("partnership:")
    page = response.content.decode()
    assert "Row 3" in page and "Nothing was saved" in page
    assert not MetricRecord.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (
            "partnership,influencer,metric,day,value\n1,Zoë,views,2026-11-01,5\n".encode("utf-16"),
            "UTF-8",
        ),
        (
            b"partnership,metric,day,value\n" + b"1,views,2026-11-01,5\n" * 60_000,
            "larger than 1 MB",
        ),
        (b"name,email\nIna,ina@x.test\n", "Missing columns: partnership, metric, day, value"),
        (b"partnership,metric,day,value\n", "no numbers"),
        (b"\x00\x01\x02partnership", "not a CSV"),
        (
            b'partnership,metric,day,value\n1,views,2026-11-01,"' + b"9" * 200_000 + b'"\n',
            "Row 2 cannot be read",
        ),
    ],
    ids=["utf16", "huge", "wrong-columns", "empty", "binary", "giant-cell"],
)
def test_a_hostile_or_wrong_file_gets_one_clear_error(marketer_client, mine, data, message):
    response = post(marketer_client, mine, data)
    assert response.status_code == 400
    [(row, text)] = errors(response)
    assert row == 0 and message in text
    assert not MetricRecord.objects.exists()


def test_too_many_rows_are_refused(mine):
    rows = "".join(f"{mine.pk},,views,2026-11-01,\n" for _ in range(csv_entry.MAX_ROWS + 1))
    with pytest.raises(csv_entry.CsvRejected) as caught:
        csv_entry.parse_csv(campaign=mine.campaign, data=csv_text(rows).encode())
    assert "More than" in caught.value.errors[0].message


def test_the_template_lists_the_campaign_partnerships_with_names_neutralised(
    marketer_client, marketer, mine
):
    mine.influencer.name = "=cmd|calc"
    mine.influencer.save()
    response = marketer_client.get(reverse("metrics:metric_csv_template", args=[mine.campaign_id]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "partnership,influencer,metric,day,value"
    assert lines[1].startswith(f"{mine.pk},'=cmd|calc,sessions,")
    # The template uploaded as downloaded (no values) writes nothing and says so.
    response = post(marketer_client, mine, response.content)
    assert "no numbers" in errors(response)[0][1]


def test_the_partnership_page_links_to_the_upload(marketer_client, mine):
    page = marketer_client.get(mine.get_absolute_url()).content.decode()
    assert upload_url(mine) in page
    assert marketer_client.get(upload_url(mine)).status_code == 200


def test_a_viewer_gets_403(viewer_client, mine):
    text = csv_text(f"{mine.pk},,sessions,2026-11-01,120")
    assert viewer_client.get(upload_url(mine)).status_code == 403
    assert post(viewer_client, mine, text).status_code == 403
    template = reverse("metrics:metric_csv_template", args=[mine.campaign_id])
    assert viewer_client.get(template).status_code == 403
    assert not MetricRecord.objects.exists()


def test_an_influencer_is_refused_even_for_their_own_campaign(influencer_client, mine):
    text = csv_text(f"{mine.pk},,sessions,2026-11-01,120")
    assert post(influencer_client, mine, text).status_code == 403
    template = reverse("metrics:metric_csv_template", args=[mine.campaign_id])
    assert influencer_client.get(template).status_code == 403
    assert not MetricRecord.objects.exists()


def test_a_missing_campaign_is_404(marketer_client):
    assert (
        marketer_client.get(reverse("metrics:metric_csv_upload", args=[999999])).status_code == 404
    )
