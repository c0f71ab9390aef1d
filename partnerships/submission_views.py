"""Handing in posts (portal) and reviewing them (marketers). Being written."""

from accounts.access import influencer_required


@influencer_required
def hand_in(request, pk, deliverable_pk):
    raise NotImplementedError
