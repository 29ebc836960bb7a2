from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import PostViewSet, PublicPosts, login_view

router = DefaultRouter()
router.register(r"posts", PostViewSet)

urlpatterns = [
    path("", include(router.urls)),
    path("login/", login_view),
    path("public/", PublicPosts.as_view()),
]
