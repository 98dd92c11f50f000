from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token

from posyandu import views

api_v1 = [
    path("", include(("ilp.api_urls", "ilp"), namespace="ilp")),
    path("reports/", include(("reports.api_urls", "reports"), namespace="reports")),
    path("kader/", include(("kader.api_urls", "kader"), namespace="kader")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("auth/token/", obtain_auth_token, name="token"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("ilp.urls")),
    path("laporan/", include("reports.urls")),
    path("kader/", include("kader.urls")),
    path("kirim/", include("interop.urls")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("admin/", admin.site.urls),
]
