from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404

from .models import ShopConnection


def connections_with_counts():
    return ShopConnection.objects.annotate(
        order_count=Count("orders", distinct=True),
        attributed_count=Count(
            "orders", filter=Q(orders__attribution__isnull=False), distinct=True
        ),
        last_delivery=Max("deliveries__received_at"),
    )


def connection_for_user(user, pk: int) -> ShopConnection:
    """Shops belong to the team: every marketer sees them (the views check the role)."""
    return get_object_or_404(ShopConnection, pk=pk)
