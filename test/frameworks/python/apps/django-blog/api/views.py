from rest_framework import generics, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response

from blog.models import Post


class PostViewSet(viewsets.ModelViewSet):
    queryset = Post.objects.all()

    @action(detail=True, methods=["post"], permission_classes=[IsAdminUser])
    def publish(self, request, pk=None):
        return Response({})


@api_view(["POST"])
@permission_classes([AllowAny])
def login_view(request):
    return Response({})


class PublicPosts(generics.ListAPIView):
    permission_classes = [AllowAny]
    queryset = Post.objects.all()
