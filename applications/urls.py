from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("yishenqing/", views.guide, name="guide"),
    path("yishenqing/liucheng/", views.process, name="process"),
    path("yishenqing/shoufei/", views.fee_standard, name="fees"),
    path("yishenqing/shenqing/", views.apply, name="apply"),
    path("yishenqing/shenqing/wancheng/", views.submitted, name="submitted"),
    path("yishenqing/biaodan.pdf", views.form_pdf, name="form_pdf"),
    path("yishenqing/chaxun/", views.track, name="track"),
    path("yishenqing/chaxun/xiangqing/", views.track_detail, name="track_detail"),
    path("yishenqing/chaxun/buzheng/", views.track_supplement, name="track_supplement"),
    path("yishenqing/chaxun/chehui/", views.track_withdraw, name="track_withdraw"),
    path("yishenqing/chaxun/tousu/", views.track_complaint, name="track_complaint"),
    path("yishenqing/chaxun/tuichu/", views.track_logout, name="track_logout"),
    path("yishenqing/chaxun/wenshu/<int:pk>/", views.track_document, name="track_document"),
    path("yishenqing/tongji/", views.stats, name="stats"),
    path("yishenqing/tongji.csv", views.stats_csv, name="stats_csv"),
]
