"""Commission owed: percent of the attributed net revenue, Decimal to the cent, half up."""

from decimal import Decimal

import pytest

from shop.totals import commission_of


@pytest.mark.parametrize(
    ("net", "percent", "owed"),
    [
        ("100.00", "10", "10.00"),
        ("110.00", "12.50", "13.75"),
        ("0.10", "15", "0.02"),  # 0.015 rounds half up
        ("0.05", "10", "0.01"),  # 0.005 rounds half up
        ("0.04", "10", "0.00"),
        ("33.33", "33.33", "11.11"),  # 11.108889
        ("999999999.99", "100", "999999999.99"),
        ("0.00", "20", "0.00"),
        ("19.99", "0", "0.00"),
        ("0.1", "0.1", "0.00"),
    ],
)
def test_commission_is_exact_decimal(net, percent, owed):
    result = commission_of(Decimal(net), Decimal(percent))
    assert result == Decimal(owed)
    assert isinstance(result, Decimal)
    assert result.as_tuple().exponent == -2


def test_many_small_orders_add_up_before_rounding():
    # The commission is taken of the total, not summed from rounded per-order amounts.
    total = sum([Decimal("0.15")] * 3, Decimal(0))
    assert commission_of(total, Decimal("10")) == Decimal("0.05")  # 0.045 -> 0.05
