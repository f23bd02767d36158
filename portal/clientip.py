"""The client's own address, also behind a reverse proxy.

Behind nginx every request reaches gunicorn from the proxy's address, so rate limits, the login
lockout and the logs would treat all citizens as one. `X-Forwarded-For` is believed only when the
direct peer is one of `TRUSTED_PROXIES`: then the client is the right-most address in it that is
not a trusted proxy (each proxy appends the address it saw, so everything to the left of that
could have been written by the client). Otherwise the peer itself is the client.
"""

import functools
import ipaddress

from django.conf import settings

# Stored in the WSGI environ too, so gunicorn's access log can print it (deploy/gunicorn.conf.py).
ENVIRON_KEY = "portal.client_ip"


@functools.lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]):
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client that sent `request` (a string, possibly empty)."""
    meta = request.META
    cached = meta.get(ENVIRON_KEY)
    if cached is not None:
        return cached
    peer = meta.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    found = peer
    if networks and _trusted(_address(peer), networks):
        hops = [hop for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                # Garbage where a proxy would have written an address: believe nothing further.
                break
            found = str(address)
            if not _trusted(address, networks):
                break
    meta[ENVIRON_KEY] = found
    return found


class ClientAddressMiddleware:
    """Works the client address out first, so the access log carries it for every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        client_ip(request)
        return self.get_response(request)
