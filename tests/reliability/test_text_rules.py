"""Single-line fields refuse control characters; text fields keep their length limits,
on every path (model, page, admin, CSV import)."""

import pytest
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from accounts.models import User
from campaigns.models import Campaign, DefaultTerms, currency_validator
from common.validators import validate_single_line, validate_text
from influencers import services as influencer_services
from influencers.models import Influencer
from influencers.spreadsheet import rows as csv_io
from partnerships.models import Deliverable
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

APPS = {"accounts", "influencers", "campaigns", "partnerships", "metrics"}
# Filled by code, never typed: hashes, nonces, keys, header values.
MACHINE_FIELDS = {
    ("accounts", "invitation", "nonce"),
    ("accounts", "outgoingemail", "key"),
    # Composed by the app from validated names; the outbox collapses it to one line.
    ("accounts", "outgoingemail", "subject"),
    ("partnerships", "termspdf", "language"),
    ("partnerships", "termspdf", "sha256"),
    ("accounts", "submittoken", "token"),
    ("accounts", "submittoken", "result_url"),
    ("partnerships", "termsversion", "sha256"),
    ("partnerships", "acceptance", "sha256"),
    ("partnerships", "acceptance", "user_agent"),
    ("metrics", "schedulerheartbeat", "name"),
    ("metrics", "trackedlink", "code"),
    ("metrics", "click", "visitor"),
    ("accounts", "user", "password"),
}


def _text_fields():
    from django.apps import apps

    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in APPS or meta.model_name.startswith("historical"):
            continue
        for field in meta.get_fields():
            if not isinstance(field, models.Field) or not field.editable:
                continue
            inner = field.base_field if isinstance(field, ArrayField) else field
            yield meta, field, inner


def test_every_single_line_field_a_person_fills_refuses_control_characters():
    missing = []
    for meta, field, inner in _text_fields():
        if type(inner) is not models.CharField or inner.choices:
            continue
        if (meta.app_label, meta.model_name, field.name) in MACHINE_FIELDS:
            continue
        # A currency is three capitals (anchored with \Z: "$" would let "MYR\n" through).
        covered = (validate_single_line, currency_validator)
        if not any(validator in covered for validator in inner.validators):
            missing.append(f"{meta.label}.{field.name}")
    assert not missing


def test_every_text_field_with_a_limit_validates_it():
    missing = []
    for meta, field, _inner in _text_fields():
        limited = isinstance(field, models.TextField) and field.max_length
        if limited and not any(isinstance(v, MaxLengthValidator) for v in field.validators):
            missing.append(f"{meta.label}.{field.name}")
    assert not missing


def test_the_free_text_that_feeds_the_terms_document_is_limited():
    for model in (DefaultTerms, Deliverable):
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField):
                assert field.max_length and field.max_length <= 4000, f"{model}.{field.name}"


@pytest.mark.parametrize(
    "name",
    [
        "Ali\r\nBcc: all@example.com",
        "Ali\nBaba",
        "Ali\tBaba",
        "Ali\x00",
        "Ali\u202eabaB",
        "Ali\x85",
    ],
)
def test_control_characters_in_a_name_are_refused_by_the_model(name):
    with pytest.raises(ValidationError) as caught:
        Influencer(name=name).full_clean()
    assert caught.value.error_dict["name"][0].code == "control_character"


@pytest.mark.parametrize(
    "name", ["Nurul Izzah", "José Núñez", "李小龙", "👩\u200d🍳 Chef Ana", "O'Brien"]
)
def test_ordinary_names_pass(name):
    validate_single_line(name)


def test_free_text_keeps_its_line_breaks_but_not_a_nul():
    validate_text("Line one\nLine two\r\n\tindented")
    with pytest.raises(ValidationError):
        validate_text("nul\x00here")


def test_the_new_influencer_page_refuses_a_line_break_in_the_name(marketer_client):
    response = marketer_client.post(
        reverse("influencers:create"),
        {
            "name": "Ali Baba\rBcc: x@example.com",
            "channels-TOTAL_FORMS": "0",
            "channels-INITIAL_FORMS": "0",
        },  # noqa: E501
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Influencer.objects.exists()


def test_the_campaign_page_refuses_a_tab_in_the_name_and_an_overlong_brief(marketer_client):
    data = {
        "name": "Raya\t2026",
        "brand": "Kopi Kita",
        "starts_on": "2026-12-01",
        "ends_on": "2027-01-31",
        "budget": "1000.00",
        "currency": "MYR",
        "utm_campaign": "raya_2026",
        "status": "planning",
        "brief_must_haves": "Say it",
        "creative_notes": "x" * 4001,
        "disclosure_rule": "#ad",
        "payment_net_days": "14",
    }

    response = marketer_client.post(reverse("campaigns:create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert response.context["terms_form"].errors["creative_notes"]
    assert not Campaign.objects.exists()


def test_services_cannot_store_an_overlong_text_either(marketer):
    with pytest.raises(ValidationError) as caught:
        influencer_services.influencer_create(by=marketer, name="Long", bio="x" * 1001)
    assert "bio" in caught.value.message_dict
    campaign = CampaignFactory()
    terms = campaign.default_terms
    terms.cancellation_terms = "y" * 2001
    with pytest.raises(ValidationError) as caught:
        terms.full_clean()
    assert "cancellation_terms" in caught.value.message_dict


def test_csv_import_reports_an_overlong_bio_on_its_row():
    text = "name,bio\nShort Bio,Cooks\nLong Bio," + "x" * 1001 + "\nName\u0007Bell,ok\n"

    preview = csv_io.parse(text)

    short, long, bell = preview.rows
    assert short.errors == []
    assert [column for column, _message in long.errors] == ["bio"]
    assert long.number == 3
    assert [column for column, _message in bell.errors] == ["name"]


def test_csv_import_page_shows_the_bio_error_and_imports_nothing(marketer_client):
    text = "name,bio\nLong Bio," + "x" * 1001 + "\n"
    upload = SimpleUploadedFile("roster.csv", text.encode(), "text/csv")

    response = marketer_client.post(reverse("influencers:import"), {"file": upload}, follow=True)

    assert response.status_code == 200
    assert "1000" in response.content.decode() or "1,000" in response.content.decode()
    assert not Influencer.objects.exists()


def test_a_currency_with_a_trailing_line_break_is_refused():
    with pytest.raises(ValidationError):
        currency_validator("MYR\n")


def test_a_user_full_name_refuses_a_line_break():
    with pytest.raises(ValidationError) as caught:
        User(email="a@b.test", full_name="Ada\nAdmin").full_clean(exclude=["password"])
    assert "full_name" in caught.value.message_dict
