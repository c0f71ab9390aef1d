from django.db import models


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Marketers see every partnership; an influencer only their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_marketer:
            return self
        return self.filter(influencer__user=user)

    def for_influencer(self, influencer):
        return self.filter(influencer=influencer)
