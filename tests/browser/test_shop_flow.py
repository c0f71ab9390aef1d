import httpx
import pytest
from playwright.sync_api import expect

from shop.models import ShopConnection
from shop.services import deliveries_process_all
from shop.webhooks import samples
from tests.conftest import browser_login
from tests.shop.support import commission_partnership

pytestmark = pytest.mark.browser

SECRET = "shpss-browser-flow-secret-4242"


def test_marketer_connects_a_shop_and_sees_the_sales(page, live_server, marketer, influencer_user):
    partnership = commission_partnership(marketer, influencer_user, code="INA15", percent="15")
    browser_login(page, marketer.email)
    page.get_by_role("link", name="Shops").click()
    expect(page.get_by_role("heading", name="Shops", exact=True)).to_be_visible()
    page.get_by_label("Name").fill("Kopi Kita Shopify")
    page.get_by_label("Kind").select_option("shopify")
    page.get_by_label("Webhook signing secret").fill(SECRET)
    page.get_by_role("button", name="Add").click()

    row = page.get_by_role("row").filter(has_text="Kopi Kita Shopify")
    expect(row).to_contain_text("/shop/webhooks/shopify/")
    assert SECRET not in page.content()

    connection = ShopConnection.objects.get()
    body, headers = samples.signed(
        "shopify",
        "orders/create",
        samples.shopify_order(77, subtotal="200.00", codes=("ina15",)),
        SECRET,
    )
    url = f"{live_server.url}/shop/webhooks/shopify/{connection.token}/"
    assert httpx.post(url, content=body, headers=headers, timeout=30).status_code == 200
    deliveries_process_all()

    page.goto(f"{live_server.url}{partnership.get_absolute_url()}")
    sales = page.locator("[data-shop-sales]")
    expect(sales.locator("[data-shop-orders]")).to_have_text("1")
    expect(sales.locator('[data-shop-commission="MYR"]')).to_contain_text("30.00")
    assert "siti.customer" not in page.content()


def test_an_order_csv_with_a_bad_row_lists_it(page, live_server, marketer, tmp_path):
    browser_login(page, marketer.email)
    page.goto(f"{live_server.url}/shop/connections/")
    page.get_by_label("Name").fill("Shopee export")
    page.get_by_label("Kind").select_option("csv")
    page.get_by_role("button", name="Add").click()
    page.get_by_role("link", name="Upload orders (CSV)").click()
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "order_id,placed_at,amount,currency\nA1,2026-11-20,12.00,MYR\nA2,someday,5,MYR\n"
    )
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-csv-errors]")).to_contain_text("Row 3")
