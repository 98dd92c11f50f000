import pytest
from django.conf import settings

# Browser fixtures (browser, phone, shots) for tests in any folder.
pytest_plugins = ["tests.browser.fixtures"]


def pytest_sessionstart(session):
    # The suite runs on the real PostgreSQL (see Makefile / .ci/run). Say so
    # loudly instead of quietly testing SQLite.
    if not session.config.pluginmanager.hasplugin("django"):
        return  # pure tests run with -p no:django
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine and not session.config.getoption("--allow-sqlite", False):
        raise pytest.UsageError(
            "Tests need PostgreSQL: run `make test` (sets DATABASE_URL), or pass --allow-sqlite."
        )


def pytest_addoption(parser):
    parser.addoption("--allow-sqlite", action="store_true", help="run on SQLite (not in CI)")


@pytest.fixture
def world(db):
    from tests.factories import make_world

    return make_world()


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login
