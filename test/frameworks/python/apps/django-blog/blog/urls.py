from django.contrib.auth.decorators import login_required
from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.index),
    path("posts/<int:pk>/", views.PostDetail.as_view()),
    path("posts/<int:pk>/delete/", views.delete_post),
    path("dashboard/", login_required(views.dashboard)),
    path("stats/", views.StatsView.as_view()),
    re_path(r"^users/(?P<pk>\d+)/ban/$", views.ban_user),
]
