from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "开放接口"

    def ready(self):
        from api import middleware
        from portal import pagecache

        # Cached answers in front of Django count against the rate limit and carry CORS too
        # (the module's admit() and finish()).
        pagecache.front_gate(middleware, *middleware.PREFIXES)
