"""The signed order webhooks of Shopify and WooCommerce.

The view reads the raw body, checks the provider's HMAC signature with a constant-time
compare (bad or missing: 401, nothing written), strips the payload to what attribution
needs, stores it as a delivery row (a duplicate or replay of the same order event is
stored once) and answers at once; a worker reads it into orders.
"""

import json
import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .. import services
from ..models import Provider, ShopConnection
from . import payloads, signatures

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000


@csrf_exempt
@require_POST
def receive(request: HttpRequest, provider: str, token: str) -> HttpResponse:
    if provider not in signatures.HEADERS:
        raise Http404
    connection = get_object_or_404(ShopConnection, token=token, provider=provider, is_active=True)
    body = request.body
    if provider == Provider.WOOCOMMERCE and body.startswith(b"webhook_id="):
        return HttpResponse(status=200)  # WooCommerce's unsigned ping on saving a webhook
    signature = request.headers.get(signatures.HEADERS[provider])
    if len(body) > MAX_BODY or not signatures.is_valid(
        services.connection_secret(connection), body, signature
    ):
        return HttpResponse(status=401)
    topic = request.headers.get(signatures.TOPIC_HEADERS[provider], "")
    try:
        item = payloads.read(provider, topic, json.loads(body))
    except (ValueError, payloads.PayloadError) as exc:
        # Signed but not for us (a topic we do not use) or unreadable: acknowledged, so
        # the shop does not retry it for days; nothing stored.
        log.info("shop: %s webhook ignored (%s): %s", provider, topic[:40], exc)
        return HttpResponse(status=202)
    services.deliveries_store(connection=connection, items=[item])
    return HttpResponse(status=200)
