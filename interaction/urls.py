from django.urls import path

from interaction import views

app_name = "interaction"
urlpatterns = [
    path("hudong/", views.index, name="index"),
    path("hudong/danwei/<slug:slug>/", views.unit_page, name="unit"),
    path("hudong/changjian/", views.faq, name="faq"),
    path("hudong/liuyan/", views.leave_message, name="leave_message"),
    path("hudong/liuyan/wancheng/", views.submitted, name="submitted"),
    path("hudong/liuyan/<str:number>/", views.message_detail, name="message"),
    path("hudong/chaxun/", views.track, name="track"),
    path("hudong/chaxun/xiangqing/", views.track_detail, name="track_detail"),
    path("hudong/chaxun/pingjia/", views.track_rate, name="track_rate"),
    path("hudong/chaxun/tuichu/", views.track_logout, name="track_logout"),
    path("hudong/pingjia/shenqing/", views.rate_request, name="rate_request"),
    path("hudong/tongji/", views.stats, name="stats"),
    path("hudong/tongji.csv", views.stats_csv, name="stats_csv"),
    path("hudong/manyidu/", views.satisfaction, name="satisfaction"),
    path("hudong/zhengji/", views.consultations, name="consultations"),
    path("hudong/zhengji/<int:pk>/", views.consultation_detail, name="consultation"),
    path("hudong/zhengji/<int:pk>/yijian/", views.consultation_comment, name="comment"),
    path(
        "hudong/zhengji/fujian/<int:pk>/",
        views.consultation_attachment,
        name="consultation_attachment",
    ),
]
