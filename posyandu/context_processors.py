"""Template context shared by every page: the user's roles, for the menu only
(data access always goes through posyandu.scoping)."""

from posyandu.scoping import roles_of


def nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    health = bool(roles - {"puskesos"})
    return {
        "nav": {
            "health": health,  # any role that works with sasaran data
            "field": bool(roles & {"kader", "bidan", "admin"}),  # service-day work
            "bidan": bool(roles & {"bidan", "admin"}),
            "area": bool(roles & {"puskesmas", "dinkes", "admin"}),
            "puskesos": "puskesos" in roles,
        }
    }
