from django.db import models


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

        return (
            self.annotate(
                handed_in=models.Count(
                    "submissions",
                    filter=~models.Q(submissions__status=Submission.Status.NEEDS_FIX),
                )
            )
            .annotate(missing=models.F("quantity") - models.F("handed_in"))
            .filter(missing__gt=0)
        )
