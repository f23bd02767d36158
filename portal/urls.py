from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views

portal_patterns = [
    path("", views.home, name="home"),
    path("unit/<slug:slug>/", views.unit_detail, name="unit"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("", include("disclosure.urls")),
    path("", include("applications.urls")),
    path("", include("disclosure.reports.urls")),
    path("", include("api.urls")),
    path("", include("disclosure.guides.urls")),
    path("", include("interaction.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.liveness, name="liveness"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Browsers and crawlers ask for /favicon.ico whatever the page declares.
    path("favicon.ico", views.favicon, name="favicon"),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
