"""Routes owned by one feature; included from ilp/urls.py."""

urlpatterns = []
