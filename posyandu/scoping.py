"""The one scoping entry point. Fail-closed.

Every query over people, measurements, service days or reports goes through
``Model.objects.for_user(user, perm)`` (or ``get_for_user_or_404``), which
narrows the rows to the posyandu the user's active memberships grant ``perm``
on. Anonymous, inactive or membership-less users see nothing; an unknown
permission is a programming error and raises.

Each scoped model names the path from its row to a posyandu id in
``scope_path`` (one hop where possible: the scope key is denormalised onto the
rows that are scoped most often).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

# What each role may do inside its scope. Roles not listed grant nothing.
ROLE_PERMS: dict[str, frozenset[str]] = {
    "kader": frozenset(
        {"view", "registry.edit", "service.kader", "reports", "social.view", "social.refer"}
    ),
    "bidan": frozenset(
        {"view", "registry.edit", "registry.merge", "service.kader", "service.bidan", "reports",
         "team.manage", "social.view", "social.refer", "referral.handle"}
    ),
    # Puskesmas staff receive the health referrals (referral.handle: diterima,
    # ditindaklanjuti, batal) but do not run the service day.
    "puskesmas": frozenset(
        {"view", "registry.edit", "registry.merge", "reports", "team.manage", "social.view",
         "referral.handle"}
    ),
    "dinkes": frozenset({"view", "reports"}),
    "admin": frozenset(
        {"view", "registry.edit", "registry.merge", "service.kader", "service.bidan", "reports",
         "team.manage", "social.view", "social.refer", "social.handle", "referral.handle"}
    ),
    # Puskesos officers (Kemensos, desa scope): the social referrals of their
    # desa's posyandu and nothing of the health record.
    "puskesos": frozenset({"social.view", "social.handle"}),
}
PERMS = frozenset().union(*ROLE_PERMS.values())

_CACHE_ATTR = "_posyandu_scope_cache"


def _roles_granting(perm: str) -> list[str]:
    if perm not in PERMS:
        raise ValueError(f"unknown permission {perm!r}")
    return [role for role, perms in ROLE_PERMS.items() if perm in perms]


def posyandu_ids_for(user, perm: str = "view") -> frozenset[int]:
    """The ids of the posyandu on which ``user`` holds ``perm``. Cached on the
    user object for the length of a request."""
    roles = _roles_granting(perm)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    if perm not in cache:
        cache[perm] = _compute_ids(user, roles)
    return cache[perm]


def _memberships(user) -> list[dict]:
    """The user's active membership rows, read once per request."""
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    if "_rows" not in cache:
        from posyandu.models import Membership

        cache["_rows"] = list(
            Membership.objects.filter(user=user, is_active=True)
            .values("role", "posyandu_id", "puskesmas_id", "kabupaten_id", "desa_id")
        )
    return cache["_rows"]


def _compute_ids(user, roles: list[str]) -> frozenset[int]:
    from posyandu.models import Posyandu, Role

    if user.is_superuser:
        return frozenset(Posyandu.objects.values_list("id", flat=True))
    rows = [m for m in _memberships(user) if m["role"] in roles]
    if any(m["role"] == Role.ADMIN for m in rows):
        return frozenset(Posyandu.objects.values_list("id", flat=True))
    direct = {m["posyandu_id"] for m in rows if m["role"] in (Role.KADER, Role.BIDAN)}
    puskesmas = [m["puskesmas_id"] for m in rows if m["role"] == Role.PUSKESMAS]
    kabupaten = [m["kabupaten_id"] for m in rows if m["role"] == Role.DINKES]
    desa = [m["desa_id"] for m in rows if m["role"] == Role.PUSKESOS]
    if not puskesmas and not kabupaten and not desa:  # kader and bidan: no further query
        return frozenset(direct)
    q = (
        models.Q(pk__in=direct)
        | models.Q(desa__puskesmas_id__in=puskesmas)
        | models.Q(desa__kecamatan__kabupaten_id__in=kabupaten)
        | models.Q(desa_id__in=desa)
    )
    return frozenset(Posyandu.objects.filter(q).values_list("id", flat=True))


def has_perm(user, perm: str, posyandu_id: int) -> bool:
    return posyandu_id in posyandu_ids_for(user, perm)


def roles_of(user) -> set[str]:
    """The user's active roles (for menus and home pages, never for data access)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = {m["role"] for m in _memberships(user)}
    if user.is_superuser:
        roles.add("admin")
    return roles


def forget_scope(user) -> None:
    """Drop the per-request cache (after memberships change in the same request)."""
    user.__dict__.pop(_CACHE_ATTR, None)


class ScopedQuerySet(models.QuerySet):
    """QuerySet with the scoping entry point. The model declares ``scope_path``."""

    def for_user(self, user, perm: str = "view") -> ScopedQuerySet:
        path = getattr(self.model, "scope_path", None)
        if not path:
            raise TypeError(f"{self.model.__name__} declares no scope_path")
        ids = posyandu_ids_for(user, perm)
        if not ids:
            return self.none()
        return self.filter(**{f"{path}__in": ids})


def get_for_user_or_404(queryset_or_model, user, perm: str = "view", **lookup):
    """Fetch one object inside the user's scope; missing and not-yours both 404."""
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs.objects.all()
    scoped = qs.for_user(user, perm)
    try:
        return scoped.get(**lookup)
    except (scoped.model.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
