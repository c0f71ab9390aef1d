"""`manage.py seed_demo`: safe to run again, and every demo login works.

What each app seeds is checked next to that app's tests (influencers, partnerships,
relationships); they share one seeding per session through the `demo` fixture.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from demo.accounts import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.usefixtures("demo")


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seeding_again_changes_no_table():
    before = _row_counts()

    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert _row_counts() == before
    assert "created 0 contacts and 0 follow-ups" in out.getvalue()
    assert "Demo data is in place." in out.getvalue()


@pytest.mark.parametrize(("email", "name", "role", "staff"), DEMO_USERS)
def test_each_demo_login_works_with_the_documented_password(client, email, name, role, staff):
    response = client.post("/accounts/login/", {"username": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    user = User.objects.get(email=email)
    assert (user.full_name, user.role, user.is_staff) == (name, role, staff)
    home = client.get(response["Location"], follow=True)
    assert home.status_code == 200
    assert home.wsgi_request.user == user
