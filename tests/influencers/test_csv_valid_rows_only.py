"""The second choice on the import preview: import the valid rows, download the rejected."""

import pytest
from django.test import Client

from influencers.models import Channel, Influencer, PendingImport
from influencers.spreadsheet import rows as csv_io
from tests.factories import ChannelFactory
from tests.influencers.test_csv import CONFIRM, IMPORT, confirm, preview, rows_of

CONTENT = (
    "Name,email,instagram,extra note\n"
    "Aina,aina@example.com,@aina.eats,keep me\n"
    "Bad Email,not-an-email,,=SUM(A1)\n"
    "\n"
    "Benny,benny@example.com,@benny.eats,\n"
    ",nameless@example.com,,\n"
)


def import_valid(client, token: str):
    return client.post(CONFIRM, {"token": token, "choice": "valid_only"})


def test_preview_offers_both_choices_and_all_or_nothing_stays_the_default(marketer_client):
    page, token = preview(marketer_client, CONTENT)
    html = page.content.decode()
    assert "Import the 2 valid rows, download the rejected (2) as CSV" in html
    assert 'name="choice" value="valid_only"' in html
    response = confirm(marketer_client, token)  # the plain button: all or nothing
    assert "Nothing was imported" in response.content.decode()
    assert not Influencer.objects.exists()


def test_valid_rows_are_imported_and_the_rejected_downloaded(marketer_client):
    _page, token = preview(marketer_client, CONTENT)

    response = import_valid(marketer_client, token)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="rejected-rows.csv"' in response["Content-Disposition"]
    assert sorted(Influencer.objects.values_list("name", flat=True)) == ["Aina", "Benny"]
    assert Channel.objects.count() == 2
    table = rows_of(response)
    assert table[0] == ["Name", "email", "instagram", "extra note", "errors"]
    assert table[1][:4] == ["Bad Email", "not-an-email", "", "'=SUM(A1)"]
    assert table[1][4] == "email: Enter a valid email address."
    assert table[2][:2] == ["", "nameless@example.com"]
    assert table[2][4] == "name: A name is required."
    assert len(table) == 3
    assert not PendingImport.objects.exists()  # the upload is used up


def test_pressing_twice_imports_once(marketer_client):
    _page, token = preview(marketer_client, CONTENT)
    import_valid(marketer_client, token)

    again = import_valid(marketer_client, token)

    assert again.status_code == 302 and again.url == IMPORT
    assert Influencer.objects.count() == 2


def test_a_used_up_upload_is_refused_by_the_service(marketer, marketer_client):
    _page, token = preview(marketer_client, CONTENT)
    pending = PendingImport.objects.get()
    parsed = csv_io.parse(pending.text)
    assert len(csv_io.import_valid_rows(parsed, pending=pending, by=marketer)) == 2
    with pytest.raises(csv_io.services.ImportAlreadyDone):
        csv_io.import_valid_rows(parsed, pending=pending, by=marketer)
    assert Influencer.objects.count() == 2


def test_a_clash_saved_meanwhile_imports_nothing_and_keeps_the_upload(marketer_client, monkeypatch):
    _page, token = preview(marketer_client, CONTENT)
    real_parse = csv_io.parse
    calls = []

    def parse_then_clash(text):
        result = real_parse(text)
        if not calls:  # someone saves Benny's account between the check and the write
            ChannelFactory(platform="instagram", handle="benny.eats")
        calls.append(1)
        return result

    monkeypatch.setattr(csv_io, "parse", parse_then_clash)
    response = import_valid(marketer_client, token)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html and "already belongs to" in html
    assert not Influencer.objects.filter(name__in=["Aina", "Benny"]).exists()
    assert PendingImport.objects.count() == 1


def test_with_no_valid_row_there_is_no_second_choice(marketer_client):
    page, token = preview(marketer_client, "name,email\nBad,nope\n")
    assert "valid_only" not in page.content.decode()
    response = import_valid(marketer_client, token)
    assert response.status_code == 200
    assert not Influencer.objects.exists()


def test_a_clean_file_is_not_split(marketer_client):
    page, token = preview(marketer_client, "name\nAina\n")
    assert "valid_only" not in page.content.decode()
    assert import_valid(marketer_client, token).status_code == 200  # the preview again
    assert not Influencer.objects.exists()


def test_viewer_cannot_and_another_marketer_gets_404(marketer_client, viewer, manager):
    _page, token = preview(marketer_client, CONTENT)
    for user, status in [(viewer, 403), (manager, 404)]:
        other = Client()
        other.force_login(user)
        assert import_valid(other, token).status_code == status
    assert not Influencer.objects.exists()
    assert PendingImport.objects.count() == 1
