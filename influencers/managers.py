from django.db import models
from django.db.models import Max, Q


class InfluencerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Marketers see the whole roster; anyone else sees none of it here."""
        if user.is_authenticated and user.is_marketer:
            return self
        return self.none()

    def with_reach(self):
        return self.annotate(max_followers=Max("channels__followers"))

    def search(self, text: str):
        text = text.strip().removeprefix("@")
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(email__icontains=text)
            | Q(channels__handle__icontains=text.lower())
            | Q(niches__contains=[text.lower()])
        ).distinct()
