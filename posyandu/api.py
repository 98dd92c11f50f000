"""Shared API pieces: errors in one shape, with messages in Bahasa Indonesia."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Service-layer ValidationErrors become 400s with their messages."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = serializers.ValidationError(detail)
    return drf_exception_handler(exc, context)


class ScopedAPIMixin:
    """Base for every API view over scoped data. ``get_queryset`` is final: it
    always narrows ``queryset`` through the scoping entry point with
    ``scope_perm``. Subclasses narrow further in ``refine_queryset``."""

    scope_perm = "view"
    lookup_field = "uuid"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__} must not override get_queryset; use refine_queryset")

    def get_queryset(self):
        return self.refine_queryset(self.queryset.all().for_user(self.request.user, self.scope_perm))

    def refine_queryset(self, qs):
        return qs


def scoped_object(model_or_qs, user, key, *, field: str, perm: str = "view"):
    """Resolve a uuid given in a request body inside the user's scope, or a 400."""
    from django.http import Http404

    from posyandu.scoping import get_for_user_or_404

    if key in (None, ""):
        return None
    try:
        return get_for_user_or_404(model_or_qs, user, perm, uuid=key)
    except Http404:
        raise serializers.ValidationError({field: "Data tidak ditemukan."}) from None
