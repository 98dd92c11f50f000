"""Scoping cases contributed per feature. Each module may define ROUTES
(name -> Route), LIST_ROUTES (name -> query params) and PUBLIC (set of names);
test_route_scoping merges them all."""

import importlib
import pkgutil


def collect():
    routes, lists, public = {}, {}, set()
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        routes.update(getattr(module, "ROUTES", {}))
        lists.update(getattr(module, "LIST_ROUTES", {}))
        public |= set(getattr(module, "PUBLIC", set()))
    return routes, lists, public
