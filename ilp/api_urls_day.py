"""API routes of the service day; included from ilp/api_urls.py."""

urlpatterns = []
