import base64
import hashlib
import re

from django.conf import settings


class SecurityHeadersMiddleware:
    """Headers Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path_info.startswith(f"/{settings.ADMIN_PATH}"):
            # Instead of a robots.txt line, which would tell everyone where the admin is.
            response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response


# The rich-text editor (django-prose-editor) ships its module map as an inline
# <script type="importmap">; the CSP allows exactly those scripts by their hash, on every admin
# page that carries one (entries, annual reports, any later form with an editor).
_IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


class ImportMapCSPMiddleware:
    """Placed after csp.middleware.CSPMiddleware, so it sees the response first."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_PATH

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(self.prefix)
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and b'type="importmap"' in response.content
        ):
            hashes = sorted(
                "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
                for body in set(_IMPORTMAP.findall(response.content))
            )
            update = dict(getattr(response, "_csp_update", None) or {})
            update["script-src"] = [*update.get("script-src", []), *hashes]
            response._csp_update = update
        return response
