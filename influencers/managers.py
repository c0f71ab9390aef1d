from django.db import models
from django.db.models import OuterRef, Q, Subquery


class InfluencerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Marketers see the whole roster; anyone else sees none of it here."""
        if user.is_authenticated and user.is_marketer:
            return self
        return self.none()

    def with_reach(self):
        """Annotate the largest follower count across channels.

        A correlated subquery rather than a JOIN + GROUP BY: Postgres then only
        computes it for the rows of the page, and count() can drop it.
        """
        from .models import Channel

        biggest = (
            Channel.objects.filter(influencer=OuterRef("pk"), followers__isnull=False)
            .order_by("-followers")
            .values("followers")[:1]
        )
        return self.annotate(max_followers=Subquery(biggest))

    def exact_match(self, text: str):
        """Influencers whose name, email or a channel handle is exactly `text` (any case)."""
        text = text.strip()
        handle = text.removeprefix("@").lower()
        return self.filter(
            Q(name__iexact=text) | Q(email__iexact=text) | Q(channels__handle=handle)
        ).distinct()

    def search(self, text: str):
        text = text.strip().removeprefix("@")
        if not text:
            return self
        from .models import Channel

        # Handles are matched in a subquery, not a join: one row per influencer without a
        # DISTINCT over every column (bio and notes included), and the subquery runs once
        # on the trigram index of handles (each contains-match here has a *_trgm index).
        handles = Channel.objects.filter(handle__icontains=text.lower()).values("influencer_id")
        return self.filter(
            Q(name__icontains=text)
            | Q(email__icontains=text)
            | Q(pk__in=handles)
            | Q(niches__contains=[text.lower()])
        )
