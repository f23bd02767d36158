"""What every answer of the API and the open-data downloads gets: a per-client rate limit and
CORS for reading.

It runs before the page cache, so answers from the cache count against the limit and carry the
CORS headers too; the same gate runs in front of Django for cached answers
(`portal.pagecache.front_gate`, registered in api/apps.py). The client is told by
portal.clientip (TRUSTED_PROXIES).
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from portal import pagecache, ratelimit

PREFIXES = ("/api/", "/shuju/")
WINDOW_SECONDS = 60


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIXES):
            return self.get_response(request)
        if request.method == "OPTIONS":
            # A browser's preflight: reading is open to any origin; there is nothing else.
            return finish(HttpResponse(status=204))
        # Counted already if the page cache looked this answer up in front of Django.
        if request.META.pop(pagecache.ADMITTED, None) is None:
            refusal = admit(request)
            if refusal is not None:
                return refusal
        return finish(self.get_response(request))


def admit(request):
    """None if the client is within its rate limit (this request counted), else the 429 answer."""
    if ratelimit.allow(request, "api", settings.API_RATE_LIMIT, WINDOW_SECONDS):
        return None
    response = JsonResponse(
        {"error": f"请求过于频繁：每个客户端每分钟最多 {settings.API_RATE_LIMIT} 次。"},
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(WINDOW_SECONDS)
    return finish(response)


def finish(response):
    """CORS: any origin may read."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
    response["Access-Control-Max-Age"] = "86400"
    return response
