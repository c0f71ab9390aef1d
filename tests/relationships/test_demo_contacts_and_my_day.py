"""The demo relationship log: contacts and follow-ups, and "My day" has something in it.

Seeding twice is checked once for every table in tests/accounts/test_demo_data.py.
"""

import pytest
from django.utils import timezone

from accounts.models import User
from partnerships.models import Contact, FollowUp
from today.my_day import my_day

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def demo_marketer() -> User:
    return User.objects.get(email="marketer@example.com")


def test_demo_has_a_dozen_contacts_and_follow_ups():
    assert Contact.objects.count() >= 12
    assert FollowUp.objects.count() >= 12


def test_demo_contacts_are_in_the_past_and_include_meetings_with_a_place(demo_marketer):
    assert not Contact.objects.filter(happened_at__gt=timezone.now()).exists()
    meetings = Contact.objects.filter(kind=Contact.Kind.MEETING).exclude(place="")
    assert meetings.filter(place="Kopi Kita HQ, Bangsar", attendees__contains="Nurul").exists()
    assert set(Contact.objects.values_list("kind", flat=True)) == set(Contact.Kind.values)


def test_demo_marketer_has_overdue_open_follow_ups(demo_marketer):
    today = timezone.localdate()
    mine = FollowUp.objects.filter(assignee=demo_marketer)
    assert mine.filter(done_at=None, due_on__lt=today).exists()
    assert mine.filter(done_at=None, due_on=today).exists()
    assert mine.filter(done_at=None, due_on__gt=today).exists()
    assert mine.exclude(done_at=None).exists()
    assert FollowUp.objects.filter(assignee__email="manager@example.com").exists()


def test_my_day_of_the_demo_marketer_has_overdue_items_and_a_quiet_partnership(demo_marketer):
    day = my_day(demo_marketer)

    assert day.overdue
    assert day.due_today
    assert "Nurul Izzah" in {p.influencer.name for p in day.quiet}
