"""The client's address: one answer for the login lockout and for recorded acceptances.

Each proxy in front of the app appends the address it was connected from to
X-Forwarded-For, and the last one is the socket peer (REMOTE_ADDR). So the whole
route is `X-Forwarded-For + [REMOTE_ADDR]`, and with N trusted proxies the client
is the address N + 1 from its right (the N-th from the right of the header).
Whatever a client writes into the header itself sits further left and is ignored.

- `TRUSTED_PROXY_COUNT=0` (the default): REMOTE_ADDR, every header ignored. Right
  when clients connect straight to gunicorn; behind a proxy it is a
  misconfiguration (everyone shares the proxy's address, see README).
- `TRUSTED_PROXY_COUNT=N`: the N-th address from the right of X-Forwarded-For. A
  route shorter than that did not pass every proxy, so its headers are not trusted
  and REMOTE_ADDR is used instead: never an empty address, never a client's pick.
- `TRUSTED_PROXIES` (optional CIDRs): the hops that must be proxies (REMOTE_ADDR
  and the N - 1 inner ones) have to be in these networks, or the headers are
  ignored; a client that reaches gunicorn past the balancer cannot choose its address.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from python_ipware import IpWare

log = logging.getLogger(__name__)

_HEADER = "HTTP_X_FORWARDED_FOR"


@lru_cache(maxsize=8)
def _ipware(proxy_count: int) -> IpWare:
    # Only the one header our proxies write, never the other guesses ipware knows of.
    return IpWare(precedence=(_HEADER,), proxy_count=proxy_count)


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs)


# gunicorn bound to a unix socket reports no peer address: the peer is then a process on
# this machine (the local proxy), so it counts as the loopback address.
UNIX_SOCKET_PEER = "127.0.0.1"


def _peer(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or UNIX_SOCKET_PEER
    address, _trusted = _ipware(0).get_client_ip({_HEADER: remote})
    return str(address) if address else None


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as far as the configured proxies vouch for it.

    None only when REMOTE_ADDR is there but no IP address."""
    proxies = settings.TRUSTED_PROXY_COUNT
    peer = _peer(request)
    forwarded = request.META.get(_HEADER, "").strip()
    if not proxies:
        if forwarded:
            _warn_once()
        return peer
    if peer is None:
        return None
    route = f"{forwarded}, {peer}" if forwarded else peer
    address, _trusted = _ipware(proxies).get_client_ip({_HEADER: route})
    if address is None:  # shorter than the proxies we expect: not through all of them
        return peer
    if settings.TRUSTED_PROXIES and not _through_trusted(route, proxies):
        return peer
    return str(address)


def _through_trusted(route: str, proxies: int) -> bool:
    hops = [hop.strip() for hop in route.split(",")][-proxies:]
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    try:
        return all(any(ipaddress.ip_address(hop) in net for net in networks) for hop in hops)
    except ValueError:  # a hop that is no address cannot be one of our proxies
        return False


_warned = False


def _warn_once() -> None:
    global _warned
    if not _warned:
        _warned = True
        log.warning(
            "X-Forwarded-For received but TRUSTED_PROXY_COUNT is 0: behind a proxy every "
            "client shares its address for the login lockout. Set TRUSTED_PROXY_COUNT."
        )
