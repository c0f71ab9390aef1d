"""Payout settlements: the arithmetic (Decimal, per currency), the freeze rules, the
database refusing any change to a frozen settlement, access, and the CSV export."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from metrics.manual.services import metric_enter_manual
from metrics.models import Metric, Settlement, SettlementLine, Source
from metrics.progress import Reading, progress_of
from metrics.services import Row, records_upsert
from metrics.settlements.compute import cents, statement
from metrics.settlements.selectors import revenue_of, settlement_preview
from metrics.settlements.services import SettlementError, settlement_freeze
from partnerships.models import CompensationLine, KpiTarget
from tests.concurrency import race
from tests.factories import UserFactory, make_partnership
from tests.metrics.settling import accepted, complete, numbers

MYR, USD = "MYR", "USD"


def cash(amount, currency=MYR, description=""):
    return CompensationLine(
        kind="cash", amount=Decimal(amount), currency=currency, description=description
    )


def commission(percent, currency=MYR):
    return CompensationLine(
        kind="commission", commission_percent=Decimal(percent), currency=currency
    )


def product(quantity, retail, description="Kopi set"):
    return CompensationLine(
        kind="product",
        quantity=quantity,
        retail_value=Decimal(retail),
        cost_of_goods=Decimal("10.00"),
        description=description,
        currency=MYR,
    )


def kpi(metric, value, tiers, target=1000):
    target_row = KpiTarget(metric=metric, target=target, bonus_tiers=tiers)
    return progress_of(target_row, Reading(Decimal(value)))


TIERS = [{"threshold": 3000, "amount": "300.00"}, {"threshold": 5000, "amount": "500.00"}]


@pytest.mark.parametrize(
    ("compensation", "progress", "revenue", "totals"),
    [
        pytest.param([cash("1500.00")], [], "0", {MYR: "1500.00"}, id="fixed-fee"),
        pytest.param(
            [cash("1500.00")],
            [kpi("link_clicks", "3120", TIERS)],
            "0",
            {MYR: "1800.00"},
            id="first-tier-reached",
        ),
        pytest.param(
            [cash("1500.00")],
            [kpi("link_clicks", "2999.99", TIERS)],
            "0",
            {MYR: "1500.00"},
            id="tier-not-reached",
        ),
        pytest.param(
            [cash("1500.00")],
            [kpi("link_clicks", "5000", TIERS), kpi("sessions", "4000", TIERS)],
            "0",
            {MYR: "2300.00"},
            id="highest-tier-per-kpi-never-summed",
        ),
        pytest.param([commission("7.5")], [], "1234.57", {MYR: "92.59"}, id="commission-down"),
        pytest.param([commission("12.5")], [], "0.20", {MYR: "0.03"}, id="half-cent-rounds-up"),
        pytest.param([commission("10")], [], "0.05", {MYR: "0.01"}, id="half-up-not-bankers"),
        pytest.param([commission("10")], [], "0", {MYR: "0.00"}, id="no-revenue-yet"),
        pytest.param(
            [cash("1000.00"), cash("200.00", USD), commission("5", USD)],
            [kpi("sessions", "3000", TIERS)],
            "1000.00",
            {MYR: "1300.00", USD: "250.00"},
            id="two-currencies-never-added",
        ),
        pytest.param(
            [cash("1500.00"), product(2, "89.90")],
            [],
            "0",
            {MYR: "1500.00"},
            id="product-is-not-cash",
        ),
        pytest.param([], [], "5000", {}, id="nothing-owed"),
    ],
)
def test_settlement_arithmetic(compensation, progress, revenue, totals):
    result = statement(
        compensation=compensation,
        progress=progress,
        revenue=Decimal(revenue),
        bonus_currency=MYR,
    )
    assert {t.currency: t.amount for t in result.totals} == {
        currency: Decimal(amount) for currency, amount in totals.items()
    }
    for line in result.lines:
        assert line.amount is None or line.amount == cents(line.amount)
        assert isinstance(line.amount, Decimal | None)


def test_lines_say_what_numbers_they_used():
    result = statement(
        compensation=[cash("1500.00"), commission("10"), product(2, "89.90")],
        progress=[kpi("link_clicks", "3120", TIERS)],
        revenue=Decimal("1234.55"),
        bonus_currency=MYR,
    )
    kinds = [(line.kind, line.amount, line.in_cash) for line in result.lines]
    assert kinds == [
        ("cash", Decimal("1500.00"), True),
        ("bonus", Decimal("300.00"), True),
        ("commission", Decimal("123.46"), True),
        ("product", Decimal("179.80"), False),
    ]
    bonus, commission_line = result.lines[1], result.lines[2]
    assert "3,120" in bonus.basis and "3,000" in bonus.basis
    assert "10%" in commission_line.basis and "1,234.55" in commission_line.basis
    assert [line.kind for line in result.non_cash_lines] == ["product"]


# --- From the database -------------------------------------------------------------


@pytest.fixture
def mine(marketer, influencer_user):
    partnership = accepted(marketer, influencer_user)
    numbers(partnership, marketer)
    return partnership


def test_preview_from_the_terms_in_force_and_the_numbers(mine, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        preview = settlement_preview(mine)
    assert preview.version.number == 1
    assert [(line.kind, line.amount) for line in preview.lines] == [
        ("cash", Decimal("1500.00")),
        ("bonus", Decimal("300.00")),
        ("commission", Decimal("123.46")),  # 10% of 1,234.55, half up
    ]
    assert [(t.currency, t.amount) for t in preview.totals] == [(MYR, Decimal("1923.46"))]


def test_no_accepted_terms_means_an_empty_preview(marketer):
    partnership = make_partnership(by=marketer)
    preview = settlement_preview(partnership)
    assert preview.version is None and preview.lines == [] and preview.totals == []


def test_freezing_needs_a_completed_partnership(mine, marketer):
    with pytest.raises(SettlementError) as caught:
        settlement_freeze(partnership=mine, by=marketer)
    assert caught.value.code == "not_completed"
    assert not Settlement.objects.exists()


def test_freezing_keeps_the_numbers_who_and_when_once(mine, marketer):
    mine = complete(mine, marketer)
    settlement = settlement_freeze(partnership=mine, by=marketer)
    assert settlement.reference == f"SET-{timezone.localdate().year}-{mine.pk:06d}"
    assert settlement.payee == "Ina Creator" and settlement.frozen_by == marketer
    assert settlement.frozen_at is not None and settlement.terms.number == 1
    lines = list(settlement.lines.order_by("position"))
    assert [(x.kind, x.amount, x.currency) for x in lines] == [
        ("cash", Decimal("1500.00"), MYR),
        ("bonus", Decimal("300.00"), MYR),
        ("commission", Decimal("123.46"), MYR),
    ]
    assert "3,120" in lines[1].basis
    # Numbers arriving later do not move a frozen settlement.
    metric_enter_manual(
        partnership=mine,
        metric=Metric.REVENUE,
        day=timezone.localdate(),
        value=Decimal("999"),
        by=marketer,
    )
    assert settlement.lines.get(kind="commission").amount == Decimal("123.46")
    with pytest.raises(SettlementError) as caught:
        settlement_freeze(partnership=mine, by=marketer)
    assert caught.value.code == "already_settled"
    assert Settlement.objects.count() == 1


def test_a_viewer_cannot_freeze(mine, marketer, viewer):
    mine = complete(mine, marketer)
    with pytest.raises(PermissionDenied):
        settlement_freeze(partnership=mine, by=viewer)


@pytest.fixture
def settled(mine, marketer):
    return settlement_freeze(partnership=complete(mine, marketer), by=marketer)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE metrics_settlement SET payee = 'Someone else'",
        "UPDATE metrics_settlement SET reference = 'SET-X'",
        "DELETE FROM metrics_settlement",
        "UPDATE metrics_settlementline SET amount = amount + 1",
        "DELETE FROM metrics_settlementline",
    ],
)
def test_the_database_refuses_any_change_to_a_frozen_settlement(settled, sql):
    with (
        pytest.raises(IntegrityError, match="frozen settlement"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert SettlementLine.objects.filter(settlement=settled).count() == 3
    assert Settlement.objects.get().payee == "Ina Creator"


def test_the_orm_and_bulk_updates_are_refused_too(settled):
    with pytest.raises(IntegrityError), transaction.atomic():
        Settlement.objects.update(payee="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        settled.lines.all().delete()


def test_a_settled_partnership_cannot_be_deleted(settled):
    """Accounting records outlive the partnership: deleting it is refused (PROTECT)."""
    with pytest.raises(ProtectedError):
        settled.partnership.delete()
    assert Settlement.objects.filter(pk=settled.pk).exists()


# --- Across transactions -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_freezes_at_once_make_one_settlement(marketer, influencer_user):
    partnership = complete(accepted(marketer, influencer_user), marketer)
    results = race(
        lambda: settlement_freeze(partnership=partnership, by=marketer),
        lambda: settlement_freeze(partnership=partnership, by=marketer),
    )
    assert sorted(type(r).__name__ for r in results) == ["Settlement", "SettlementError"]
    assert Settlement.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_no_line_can_be_added_after_the_freeze(marketer, influencer_user):
    partnership = complete(accepted(marketer, influencer_user), marketer)
    settlement = settlement_freeze(partnership=partnership, by=marketer)
    with pytest.raises(IntegrityError, match="no line can be added"):
        SettlementLine.objects.create(
            settlement=settlement,
            position=99,
            kind="cash",
            amount=Decimal("1.00"),
            currency=MYR,
            in_cash=True,
        )
    assert settlement.lines.count() == 2  # cash and commission on no revenue


# --- Pages ---------------------------------------------------------------------------


def test_the_partnership_page_shows_the_preview_and_offers_the_freeze_when_completed(
    marketer_client, marketer, mine
):
    url = reverse("partnerships:detail", args=[mine.pk])
    body = marketer_client.get(url).content.decode()
    assert "data-settlement-preview" in body and "1,923.46" in body
    assert "data-settlement-freeze" not in body
    complete(mine, marketer)
    body = marketer_client.get(url).content.decode()
    assert "data-settlement-freeze" in body


def test_freeze_asks_for_confirmation_then_freezes(marketer_client, marketer, mine):
    complete(mine, marketer)
    url = reverse("metrics:settlement_freeze", args=[mine.pk])
    page = marketer_client.get(url)
    assert page.status_code == 200 and "data-settlement-confirm" in page.content.decode()
    assert not Settlement.objects.exists()
    response = marketer_client.post(url, follow=True)
    settlement = Settlement.objects.get()
    body = response.content.decode()
    assert settlement.reference in body and "data-settlement-final" in body
    assert "data-settlement-freeze" not in body


def test_freezing_an_open_partnership_says_why(marketer_client, mine):
    url = reverse("metrics:settlement_freeze", args=[mine.pk])
    page = marketer_client.get(url).content.decode()
    assert "Only a completed partnership can be settled." in page
    assert "data-settlement-confirm" not in page
    response = marketer_client.post(url, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert said == ["Only a completed partnership can be settled."]
    assert not Settlement.objects.exists()


def test_viewer_gets_403_on_freeze_but_reads_the_card(viewer_client, marketer, mine):
    complete(mine, marketer)
    url = reverse("metrics:settlement_freeze", args=[mine.pk])
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url).status_code == 403
    assert not Settlement.objects.exists()
    body = viewer_client.get(reverse("partnerships:detail", args=[mine.pk])).content.decode()
    assert "data-settlement-preview" in body and "data-settlement-freeze" not in body


def test_influencers_get_403_on_the_marketer_settlement_urls(influencer_client, marketer, mine):
    complete(mine, marketer)
    for url in (
        reverse("metrics:settlement_freeze", args=[mine.pk]),
        reverse("metrics:settlement_list"),
        reverse("metrics:settlements_csv"),
    ):
        assert influencer_client.get(url).status_code == 403, url
    assert (
        influencer_client.post(reverse("metrics:settlement_freeze", args=[mine.pk])).status_code
        == 403
    )
    assert not Settlement.objects.exists()


def test_freeze_of_a_missing_partnership_is_404(marketer_client):
    assert (
        marketer_client.get(reverse("metrics:settlement_freeze", args=[999999])).status_code == 404
    )


# --- CSV for accounting --------------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_payee_per_currency(marketer_client, marketer, influencer_user):
    partnership = accepted(
        marketer,
        influencer_user,
        compensation=[
            {"kind": "cash", "amount": Decimal("1500.00"), "currency": MYR},
            {"kind": "cash", "amount": Decimal("100.50"), "currency": USD},
        ],
    )
    settlement = settlement_freeze(partnership=complete(partnership, marketer), by=marketer)
    rows = read_csv(marketer_client.get(reverse("metrics:settlements_csv")))
    assert [(r["payee"], r["amount"], r["currency"]) for r in rows] == [
        ("Ina Creator", "1500.00", MYR),
        ("Ina Creator", "100.50", USD),
    ]
    row = rows[0]
    assert row["reference"] == settlement.reference
    assert row["partnership"] == str(partnership.pk)
    assert row["campaign"] == partnership.campaign.name
    assert row["frozen_at"].startswith(str(timezone.localdate()))


def test_csv_neutralises_formulas(marketer_client, marketer, influencer_user):
    partnership = accepted(marketer, influencer_user, name='=HYPERLINK("http://evil")')
    campaign = partnership.campaign
    campaign.name = "@SUM(A1:A9)"
    campaign.save(update_fields=["name"])
    settlement_freeze(partnership=complete(partnership, marketer), by=marketer)
    row = read_csv(marketer_client.get(reverse("metrics:settlements_csv")))[0]
    assert row["payee"] == '\'=HYPERLINK("http://evil")'
    assert row["campaign"] == "'@SUM(A1:A9)"


def test_csv_filters_by_campaign_and_dates(
    marketer_client, marketer, influencer_user, other_influencer_user
):
    one = settlement_freeze(
        partnership=complete(accepted(marketer, influencer_user), marketer), by=marketer
    )
    two = settlement_freeze(
        partnership=complete(accepted(marketer, other_influencer_user, "Omar"), marketer),
        by=marketer,
    )
    url = reverse("metrics:settlements_csv")
    today = timezone.localdate()
    refs = lambda params: {r["reference"] for r in read_csv(marketer_client.get(url, params))}  # noqa: E731
    assert refs({}) == {one.reference, two.reference}
    assert refs({"campaign": one.partnership.campaign_id}) == {one.reference}
    assert refs({"since": today, "until": today}) == {one.reference, two.reference}
    assert refs({"until": today - datetime.timedelta(days=1)}) == set()
    assert refs({"since": today + datetime.timedelta(days=1)}) == set()
    bad = marketer_client.get(url, {"since": today, "until": today - datetime.timedelta(days=1)})
    assert bad.status_code == 400


def test_a_viewer_may_export(viewer_client, settled):
    rows = read_csv(viewer_client.get(reverse("metrics:settlements_csv")))
    assert [r["reference"] for r in rows] == [settled.reference]


def test_settlement_list_costs_the_same_queries_however_many(
    marketer_client, marketer, influencer_user, other_influencer_user, django_assert_max_num_queries
):
    settlement_freeze(
        partnership=complete(accepted(marketer, influencer_user), marketer), by=marketer
    )
    url = reverse("metrics:settlement_list")
    with django_assert_max_num_queries(12) as captured:
        marketer_client.get(url)
    few = len(captured.captured_queries)
    for i in range(3):
        settlement_freeze(
            partnership=complete(
                accepted(marketer, UserFactory(role=User.Role.INFLUENCER), f"P{i}"), marketer
            ),
            by=marketer,
        )
    with django_assert_max_num_queries(few) as captured:
        body = marketer_client.get(url).content.decode()
    assert body.count("data-settlement-row") == 4
    assert "data-settlements-csv" in body


def test_campaign_page_links_to_its_settlements(marketer_client, settled):
    campaign = settled.partnership.campaign
    body = marketer_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert f"{reverse('metrics:settlement_list')}?campaign={campaign.pk}" in body


def test_the_admin_shows_settlements_read_only(admin_client, settled):
    changelist = reverse("admin:metrics_settlement_changelist")
    assert settled.reference in admin_client.get(changelist).content.decode()
    change = reverse("admin:metrics_settlement_change", args=[settled.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and "1500.00" in page.content.decode()
    assert admin_client.post(change, {"payee": "Someone else"}).status_code == 403
    assert admin_client.get(reverse("admin:metrics_settlement_add")).status_code == 403
    delete = reverse("admin:metrics_settlement_delete", args=[settled.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Settlement.objects.get().payee == "Ina Creator"


@pytest.mark.django_db
def test_commission_counts_the_shops_revenue_over_a_typed_one_for_the_same_day(marketer):
    """Revenue follows KPI progress's rule: per day, a measured number (the shop) wins
    over one typed in; a typed day nothing measured covers still counts."""
    partnership = make_partnership(by=marketer)
    day = timezone.make_aware(datetime.datetime(2026, 11, 2))
    records_upsert(
        [
            Row(Metric.REVENUE, day, "100.00", Source.MANUAL, partnership=partnership.pk),
            Row(Metric.REVENUE, day, "120.50", Source.SHOP, partnership=partnership.pk),
            Row(
                Metric.REVENUE,
                day + datetime.timedelta(days=1),
                "10.00",
                Source.CSV,
                partnership=partnership.pk,
            ),
        ]
    )
    assert revenue_of(partnership) == Decimal("130.50")
