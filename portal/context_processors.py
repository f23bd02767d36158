from django.conf import settings

from portal.models import SiteProfile


def site(request):
    return {"site": SiteProfile.load(), "admin_path": settings.ADMIN_PATH}
