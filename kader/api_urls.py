"""API routes under /api/v1/kader/."""

urlpatterns: list = []
