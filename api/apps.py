from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "开放接口"

    def ready(self):
        from api.middleware import PREFIXES
        from portal import pagecache

        # Cached answers count against the rate limit too: ApiMiddleware sees every request.
        pagecache.passes_through(*PREFIXES)
