from django.urls import path, re_path

from api import guides, interaction, opendata, views

app_name = "api"
urlpatterns = [
    path("api/v1/", views.index, name="index"),
    path("api/v1/openapi.json", views.schema, name="schema"),
    path("api/v1/docs/", views.docs, name="docs"),
    path("api/v1/units/", views.units, name="units"),
    path("api/v1/entries/", views.entries, name="entries"),
    path("api/v1/entries/<int:pk>/", views.entry, name="entry"),
    path("api/v1/reports/", views.reports, name="reports"),
    path("api/v1/reports/<slug:unit_slug>/<int:year>/", views.report, name="report"),
    path("api/v1/statistics/<int:year>/", views.statistics_view, name="statistics"),
    path("api/v1/guides/", guides.guides, name="guides"),
    path("api/v1/guides/<int:pk>/", guides.guide, name="guide"),
    path("api/v1/messages/", interaction.messages, name="messages"),
    path("api/v1/messages/<str:number>/", interaction.message, name="message"),
    path("api/v1/consultations/", interaction.consultations, name="consultations"),
    path("api/v1/consultations/<int:pk>/", interaction.consultation, name="consultation"),
    path("shuju/", opendata.index, name="opendata"),
    re_path(
        r"^shuju/mulu/(?P<unit_slug>[-\w]+)\.(?P<extension>csv|json)$",
        opendata.catalog,
        name="opendata_catalog",
    ),
    re_path(
        r"^shuju/tongji/(?P<year>[0-9]{4})\.(?P<extension>csv|json)$",
        opendata.statistics,
        name="opendata_statistics",
    ),
    re_path(
        r"^shuju/bszn/(?P<unit_slug>[-\w]+)\.(?P<extension>csv|json)$",
        opendata.guides,
        name="opendata_guides",
    ),
    re_path(
        r"^shuju/liuyan/(?P<year>[0-9]{4})\.(?P<extension>csv|json)$",
        opendata.messages,
        name="opendata_messages",
    ),
]
