"""Scoping cases contributed per feature. Each module may define ROUTES
(name -> Route), LIST_ROUTES (name -> query params), BATCH_ROUTES (name ->
BatchRoute: writes with no object in the URL, the objects named in the body)
and PUBLIC (set of names); test_route_scoping merges them all."""

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


def collect_batch():
    batch = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        batch.update(getattr(module, "BATCH_ROUTES", {}))
    return batch
