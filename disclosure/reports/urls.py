from django.urls import path

from disclosure.reports import views

app_name = "reports"
urlpatterns = [
    path("nianbao/", views.year_overview, name="year_overview"),
    path("nianbao/<slug:unit_slug>/", views.unit_reports, name="unit_reports"),
    path("nianbao/<slug:unit_slug>/<int:year>/", views.report_detail, name="detail"),
    path("nianbao/<slug:unit_slug>/<int:year>.pdf", views.report_pdf, name="pdf"),
]
