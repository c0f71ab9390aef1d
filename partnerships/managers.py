from django.db import models
from django.db.models.functions import Coalesce


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Marketers see every partnership; an influencer only their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_marketer:
            return self
        return self.filter(influencer__user=user)

    def open_pair(self, *, campaign, influencer):
        """The pair's partnership that still counts: one closed without a deal
        (cancelled, declined) does not stop the pair from starting again."""
        return self.filter(campaign=campaign, influencer=influencer).exclude(
            status__in=CLOSED_WITHOUT_DEAL
        )


# Statuses of a partnership that ended without a deal (see the model's constraint).
CLOSED_WITHOUT_DEAL = ("cancelled", "declined")


class DeliverableQuerySet(models.QuerySet):
    def with_missing_pieces(self):
        """The rule for "still to hand in", written once: annotate `handed_in` (pieces
        handed in, a piece sent back for a fix not counting) and `missing`, and keep only
        deliverables with pieces missing."""
        from .models import Submission

        # A correlated count rather than a join: no GROUP BY over every selected column,
        # so the rows stay cheap however much a caller select_related()s.
        handed_in = (
            Submission.objects.filter(deliverable=models.OuterRef("pk"))
            .exclude(status=Submission.Status.NEEDS_FIX)
            .order_by()
            .values("deliverable")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return (
            self.annotate(
                handed_in=Coalesce(
                    models.Subquery(handed_in), 0, output_field=models.IntegerField()
                )
            )
            .annotate(missing=models.F("quantity") - models.F("handed_in"))
            .filter(missing__gt=0)
        )
