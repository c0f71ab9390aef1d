"""One format for numbers and amounts on a page, in English and in Malay."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from common.formatting import count_text, money_text
from partnerships.terms.content import compensation_line, kpi_line
from tests.factories import make_partnership


@pytest.mark.parametrize(
    ("language", "amount", "currency", "text"),
    [
        ("en", Decimal("1500"), "MYR", "MYR 1,500.00"),
        ("ms", Decimal("1500"), "MYR", "RM 1,500.00"),
        ("ms-my", Decimal("1500"), "MYR", "RM 1,500.00"),
        ("en", Decimal("1234567.891"), "MYR", "MYR 1,234,567.89"),
        ("ms", Decimal("0.005"), "MYR", "RM 0.01"),
        ("en", Decimal("-20"), "MYR", "-MYR 20.00"),
        ("ms", Decimal("-20"), "MYR", "-RM 20.00"),
        ("en", Decimal("99.9"), "USD", "USD 99.90"),
        ("ms", Decimal("99.9"), "USD", "USD 99.90"),
        ("ms", Decimal("1500"), "", "1,500.00"),
        ("ms", "300.00", "MYR", "RM 300.00"),  # bonus tiers store amounts as strings
        ("en", None, "MYR", "–"),
    ],
)
def test_money_is_written_as_the_language_writes_it(language, amount, currency, text):
    with translation.override(language):
        assert money_text(amount, currency) == text
        rendered = Template("{% load partnership_tags %}{{ amount|money:currency }}").render(
            Context({"amount": amount, "currency": currency})
        )
        assert rendered == text


@pytest.mark.parametrize("language", ["en", "ms"])
@pytest.mark.parametrize(("number", "text"), [(2000, "2,000"), (3, "3"), (1250000, "1,250,000")])
def test_counts_use_the_same_grouping_in_both_languages(language, number, text):
    with translation.override(language):
        assert count_text(number) == text
        rendered = Template("{% load partnership_tags %}{{ n|count }}").render(
            Context({"n": number})
        )
        assert rendered == text


@pytest.mark.parametrize(
    ("language", "kpi", "cash"),
    [
        ("en", ": 2,000 (+MYR 300.00 at 3,000)", "MYR 1,500.00"),
        ("ms", "(+RM 300.00 pada 3,000)", "RM 1,500.00"),
    ],
)
def test_terms_lines_group_targets_and_write_bonuses_as_money(marketer, language, kpi, cash):
    version = make_partnership(by=marketer).versions.get()

    with translation.override(language):
        kpi_text = kpi_line(version.kpis.get())
        cash_text = compensation_line(version.compensation.get())

    assert kpi_text.endswith(kpi)
    assert ": 2,000" in kpi_text
    assert cash_text.endswith(cash)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["2,000 · +MYR 300.00", "3,000"]), ("ms", ["2,000 · +RM 300.00", "3,000"])],
)
def test_partnership_page_writes_targets_and_bonuses_like_the_cost(
    marketer_client, marketer, language, expected
):
    partnership = make_partnership(by=marketer)

    html = marketer_client.get(
        partnership.get_absolute_url(), headers={"accept-language": language}
    ).content.decode()

    for text in expected:
        assert text in html
    assert "2000" not in html.replace("2,000", "")  # no ungrouped target left
    assert "+300.00" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Bonus of MYR 300.00 when it reaches 3,000", ": 2,000"]),
        ("ms", ["RM 300.00", "3,000", ": 2,000"]),
    ],
)
def test_terms_document_uses_the_same_formats(marketer_client, marketer, language, expected):
    partnership = make_partnership(by=marketer)
    url = reverse("partnerships:terms_document", args=[partnership.pk, 1])

    html = marketer_client.get(url, headers={"accept-language": language}).content.decode()

    for text in expected:
        assert text in html


def test_the_campaign_list_writes_budgets_as_people_do_in_each_language(marketer_client):
    from tests.factories import CampaignFactory

    CampaignFactory(name="Raya", budget=Decimal("20000"), currency="MYR")
    url = reverse("campaigns:list")
    english = marketer_client.get(url, headers={"accept-language": "en"}).content.decode()
    malay = marketer_client.get(url, headers={"accept-language": "ms"}).content.decode()
    assert "MYR 20,000.00" in english
    assert "RM 20,000.00" in malay
