import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Cached pages are answered before Django's handler (bench/hello/ serves this module too).
if "portal.pagecache.PageCacheMiddleware" in settings.MIDDLEWARE:
    from portal.pagecache import PageCacheApplication

    application = PageCacheApplication(application)
