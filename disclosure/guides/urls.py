from django.urls import path

from disclosure.guides import views
from portal import pagecache


def _unit(request, unit_slug, *args, **kwargs):
    return [pagecache.unit(unit_slug)]


app_name = "guides"
urlpatterns = [
    path(
        "bszn/<slug:unit_slug>/",
        pagecache.cache_public_page(_unit)(views.unit_guides),
        name="unit_guides",
    ),
    path(
        "bszn/<slug:unit_slug>/<int:pk>/",
        pagecache.cache_public_page(_unit)(views.guide_detail),
        name="detail",
    ),
    path("bszn/cailiao/<int:pk>/<str:which>/", views.material_file, name="material_file"),
]
