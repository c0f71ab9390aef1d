"""The cost model: committed, paid and outstanding, case by case, in exact Decimals.

Every case starts from a draft partnership in a MYR campaign whose terms carry a cash fee
of 1,500.00, then sets the compensation lines, records shipments and payments, and checks
each part of the cost and the three totals.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from partnerships import costs, selectors
from partnerships import services as partnership_services
from partnerships.models import Partnership, Payment, Shipment
from partnerships.terms import services as terms_services
from tests.factories import make_partnership

D = Decimal
CASH = {"kind": "cash", "amount": D("1500.00"), "currency": "MYR"}
SAMPLER = {
    "kind": "product",
    "description": "Kopi Kita sampler box",
    "quantity": 3,
    "cost_of_goods": D("40.00"),
    "retail_value": D("69.90"),
    "currency": "MYR",
}
COMMISSION = {"kind": "commission", "commission_percent": D("10"), "currency": "MYR"}


@dataclass
class Case:
    compensation: list[dict]
    shipments: list[dict] = field(default_factory=list)
    payments: list[dict] = field(default_factory=list)
    status: str = ""
    # part -> (committed, paid), in MYR; parts not named are 0.00 / 0.00
    parts: dict[str, tuple[str, str]] = field(default_factory=dict)
    # committed, paid, outstanding, overpaid in MYR
    totals: tuple[str, str, str, str] = ("0", "0", "0", "0")
    # currency -> (committed, paid): never added to the MYR figures
    others: dict[str, tuple[str, str]] = field(default_factory=dict)
    # how many shipments fulfil a product line in the terms
    fulfilling: int = 0


def sent(**fields) -> dict:
    return {"status": Shipment.Status.SENT} | fields


CASES = {
    "cash only": Case(
        [CASH],
        parts={"cash": ("1500", "0")},
        totals=("1500", "0", "1500", "0"),
    ),
    "cash paid": Case(
        [CASH],
        payments=[{"kind": "cash", "amount": "1500"}],
        parts={"cash": ("1500", "1500")},
        totals=("1500", "1500", "0", "0"),
    ),
    "cash + bonus payment": Case(
        [CASH],
        payments=[{"kind": "cash", "amount": "1500"}, {"kind": "bonus", "amount": "300"}],
        parts={"cash": ("1500", "1500"), "bonus": ("300", "300")},
        totals=("1800", "1800", "0", "0"),
    ),
    "product line + matching shipment": Case(
        [CASH, SAMPLER],
        # Same item whatever the case and spacing: the goods count once, at the parcel's cost.
        shipments=[sent(item="kopi kita  Sampler Box", quantity=3, value="114", shipping="12.50")],
        parts={"cash": ("1500", "0"), "product": ("114", "114"), "shipping": ("12.50", "12.50")},
        totals=("1626.50", "126.50", "1500", "0"),
        fulfilling=1,
    ),
    "matching shipment that records no cost takes the line's cost": Case(
        [CASH, SAMPLER],
        shipments=[{"item": "Kopi Kita sampler box", "quantity": 3, "shipping": "12.50"}],
        parts={"cash": ("1500", "0"), "product": ("120", "0"), "shipping": ("12.50", "0")},
        totals=("1632.50", "0", "1632.50", "0"),
        fulfilling=1,
    ),
    "part of a product line shipped": Case(
        [SAMPLER],
        shipments=[sent(item="Kopi Kita sampler box", quantity=1, value="45")],
        parts={"product": ("125", "45")},  # 2 still to ship at 40.00 + 45.00 shipped
        totals=("125", "45", "80", "0"),
        fulfilling=1,
    ),
    "product line not shipped yet": Case(
        [SAMPLER],
        parts={"product": ("120", "0")},
        totals=("120", "0", "120", "0"),
    ),
    "shipment with no product line": Case(
        [CASH],
        shipments=[{"item": "Tote bag", "quantity": 2, "value": "30", "shipping": "8"}],
        parts={"cash": ("1500", "0"), "product": ("30", "0"), "shipping": ("8", "0")},
        totals=("1538", "0", "1538", "0"),
    ),
    "commission paid": Case(
        [CASH, COMMISSION],
        payments=[{"kind": "commission", "amount": "75.25"}],
        parts={"cash": ("1500", "0"), "commission": ("75.25", "75.25")},
        totals=("1575.25", "75.25", "1500", "0"),
    ),
    "foreign-currency payment": Case(
        [CASH],
        payments=[{"kind": "bonus", "amount": "100", "currency": "USD"}],
        parts={"cash": ("1500", "0")},
        totals=("1500", "0", "1500", "0"),
        others={"USD": ("100", "100")},
    ),
    "foreign-currency shipment still matches its product line": Case(
        [SAMPLER],
        shipments=[sent(item="Kopi Kita sampler box", quantity=3, value="25", currency="SGD")],
        totals=("0", "0", "0", "0"),
        others={"SGD": ("25", "25")},
        fulfilling=1,
    ),
    "overpaid": Case(
        [CASH],
        payments=[{"kind": "cash", "amount": "1000"}, {"kind": "cash", "amount": "650.50"}],
        parts={"cash": ("1500", "1650.50")},
        totals=("1500", "1650.50", "0", "150.50"),
    ),
    "cancelled: the terms commit nothing, what was paid still counts": Case(
        [CASH, SAMPLER],
        status=Partnership.Status.CANCELLED,
        payments=[{"kind": "cash", "amount": "200"}],
        shipments=[sent(item="Kopi Kita sampler box", quantity=1, value="40")],
        parts={"cash": ("200", "200"), "product": ("40", "40")},
        totals=("240", "240", "0", "0"),
    ),
}


def build(case: Case, marketer) -> Partnership:
    partnership = make_partnership(by=marketer)
    version = partnership.versions.get()
    terms_services.terms_save(
        version=version,
        by=marketer,
        data=terms_services.TermsInput(
            fields={}, deliverables=[], compensation=case.compensation, kpis=[]
        ),
    )
    for shipment in case.shipments:
        Shipment.objects.create(
            partnership=partnership,
            item=shipment["item"],
            quantity=shipment["quantity"],
            value=D(shipment.get("value", "0")),
            shipping_cost=D(shipment.get("shipping", "0")),
            currency=shipment.get("currency", "MYR"),
            status=shipment.get("status", Shipment.Status.PREPARING),
            # A parcel that left has a sent date (a database constraint says so).
            sent_on=None
            if shipment.get("status", Shipment.Status.PREPARING) == Shipment.Status.PREPARING
            else datetime.date(2026, 11, 2),
        )
    for payment in case.payments:
        Payment.objects.create(
            partnership=partnership,
            kind=payment["kind"],
            amount=D(payment["amount"]),
            currency=payment.get("currency", "MYR"),
        )
    if case.status:
        partnership_services.partnership_transition(
            partnership=partnership, to_status=case.status, by=marketer, reason="Test"
        )
    return Partnership.objects.select_related("campaign").get(pk=partnership.pk)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_cost_model(case: Case, marketer):
    partnership = build(case, marketer)

    cost = costs.partnership_cost(partnership, selectors.terms_state(partnership).costed)

    assert cost.currency == "MYR"
    for key, part in cost.parts.items():
        committed, paid = case.parts.get(key, ("0", "0"))
        assert (part.committed, part.paid) == (D(committed), D(paid)), key
    assert (cost.committed, cost.paid, cost.outstanding, cost.overpaid) == tuple(
        D(v) for v in case.totals
    )
    assert len(cost.fulfilling) == case.fulfilling
    assert {o.currency: (o.committed, o.paid) for o in cost.others} == {
        currency: (D(c), D(p)) for currency, (c, p) in case.others.items()
    }
    for amount in (cost.committed, cost.paid, cost.outstanding, cost.overpaid):
        assert type(amount) is Decimal


def test_outstanding_is_never_negative(marketer):
    partnership = build(CASES["overpaid"], marketer)

    cost = costs.partnership_cost(partnership, selectors.terms_state(partnership).costed)

    assert cost.balance == D("-150.50")
    assert cost.outstanding == D("0.00")
    assert cost.overpaid == D("150.50")


def test_campaign_sums_per_partnership_and_keeps_other_currencies_apart(marketer):
    paid_up = build(CASES["overpaid"], marketer)
    campaign = paid_up.campaign
    campaign.budget = D("2000.00")
    campaign.save()
    owing = make_partnership(by=marketer, campaign=campaign)  # a draft: 1,500.00 committed
    Payment.objects.create(partnership=owing, kind="bonus", amount=D("20"), currency="USD")

    summary = costs.campaign_budget(campaign)

    assert (summary.committed, summary.paid) == (D("3000.00"), D("1650.50"))
    # One partnership's overpayment does not pay off another's balance.
    assert (summary.outstanding_total, summary.overpaid_total) == (D("1500.00"), D("150.50"))
    assert summary.used == D("3150.50")
    assert summary.remaining == D("-1150.50")
    assert summary.over_budget
    assert {c: (f.committed, f.paid) for c, f in summary.others.items()} == {
        "USD": (D("20"), D("20"))
    }


# --- Pages -------------------------------------------------------------------------------


@pytest.fixture
def mixed(marketer) -> Partnership:
    """Committed 1,632.50 (fee, sampler, shipping), paid 300.00 of the fee, plus USD 20."""
    partnership = build(
        Case(
            [CASH, SAMPLER],
            shipments=[{"item": "Kopi Kita sampler box", "quantity": 3, "shipping": "12.50"}],
            payments=[
                {"kind": "cash", "amount": "300"},
                {"kind": "bonus", "amount": "20", "currency": "USD"},
            ],
        ),
        marketer,
    )
    return partnership


def test_partnership_page_shows_committed_paid_and_outstanding(marketer_client, mixed):
    html = marketer_client.get(mixed.get_absolute_url()).content.decode()

    assert "data-committed>MYR 1,632.50<" in html
    assert "data-paid>MYR 300.00<" in html
    assert "data-outstanding>MYR 1,332.50<" in html
    assert "data-overpaid" not in html
    assert "USD 20.00 committed, USD 20.00 paid" in html
    assert "fulfils a product line in the terms" in html


def test_partnership_page_says_which_shipments_count_on_their_own(marketer_client, marketer):
    partnership = build(CASES["shipment with no product line"], marketer)

    html = marketer_client.get(partnership.get_absolute_url()).content.decode()

    assert "MYR 30.00 + MYR 8.00 shipping · not in the terms: counts on its own" in html
    assert "data-committed>MYR 1,538.00<" in html


def test_partnership_page_flags_an_overpayment(marketer_client, marketer):
    partnership = build(CASES["overpaid"], marketer)

    html = marketer_client.get(partnership.get_absolute_url()).content.decode()

    assert "data-outstanding>MYR 0.00<" in html
    assert "Overpaid: MYR 150.50 more than committed." in html


def test_partnership_page_in_malay_writes_ringgit_as_rm(marketer_client, mixed):
    html = marketer_client.get(
        mixed.get_absolute_url(), headers={"accept-language": "ms"}
    ).content.decode()

    assert "data-committed>RM 1,632.50<" in html
    assert "data-paid>RM 300.00<" in html
    assert "data-outstanding>RM 1,332.50<" in html
    assert "MYR 1," not in html
    assert "USD 20.00" in html  # other currencies keep their code


def test_campaign_page_shows_the_three_figures_against_the_budget(marketer_client, mixed):
    campaign = mixed.campaign

    html = marketer_client.get(campaign.get_absolute_url()).content.decode()

    assert "data-committed>MYR 1,632.50<" in html
    assert "data-paid>MYR 300.00<" in html
    assert "data-outstanding>MYR 1,332.50<" in html
    assert "data-row-outstanding>MYR 1,332.50" in html
    assert 'data-currency="USD"' in html


def test_campaign_page_in_malay(marketer_client, mixed):
    html = marketer_client.get(
        mixed.campaign.get_absolute_url(), headers={"accept-language": "ms"}
    ).content.decode()

    assert "data-committed>RM 1,632.50<" in html
    assert "data-outstanding>RM 1,332.50<" in html


def test_influencer_profile_shows_the_three_figures(marketer_client, mixed):
    html = marketer_client.get(mixed.influencer.get_absolute_url()).content.decode()

    assert "data-committed>MYR 1,632.50<" in html
    assert "data-paid>MYR 300.00<" in html
    assert "data-outstanding>MYR 1,332.50<" in html
    assert 'data-currency="USD"' in html
