"""API routes under /api/v1/reports/."""

urlpatterns: list = []
