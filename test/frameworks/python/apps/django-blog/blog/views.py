from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView

from .models import Post, User


def index(request):
    return render(request, "index.html")


class PostDetail(LoginRequiredMixin, DetailView):
    model = Post


@login_required
@require_POST
def delete_post(request, pk):
    get_object_or_404(Post, pk=pk).delete()


def dashboard(request):
    return render(request, "dashboard.html")


class StatsView(PermissionRequiredMixin, TemplateView):
    permission_required = "blog.view_stats"


def ban_user(request, pk):
    if not request.user.is_staff:
        raise PermissionDenied
    User.objects.filter(pk=pk).update(is_active=False)
