"""Shared fixtures: the shipped rule set, an app, and real servers over HTTP.

In CI (CI=true) a test that needs PostgreSQL or Chromium fails when they are
missing; elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil

import pytest

from server.config import ROOT
from server.engine import load_ruleset

from .serverproc import ServerProcess

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def require(available: bool, what: str) -> None:
    """Skip without `what` on a developer's machine; fail in CI, where it must be there."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available")


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset(ROOT / "rules")


@pytest.fixture(scope="session")
def chromium_path():
    require(shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """One real server for the session, on SQLite in its own instance folder."""
    with ServerProcess(tmp_path_factory.mktemp("instance")) as server:
        yield server


@pytest.fixture(scope="session")
def example_context():
    """Builds the context an example asks for (its ledger, the shipped directory and calendar)."""
    from server.engine.examples import context_builder

    return context_builder(ROOT / "rules")


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def stored_api(request, tmp_path_factory):
    """(server, database) on each storage backend (tests/storage.py), shared by a module's tests."""
    from .storage import server  # here, not above: storage.py reads this module's settings

    with server(request.param, tmp_path_factory.mktemp(request.param)) as running:
        yield running


@pytest.fixture(scope="module")
def api(request, tmp_path_factory):
    """(server, database) for a module of admin page tests; the module's ADMIN may sign in."""
    from .admin_support import office_server  # here, not above: it reads this module's settings

    with office_server(tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2]),
                       request.module.ADMIN) as started:
        yield started


@pytest.fixture(scope="module")
def admin(request, api):
    """The module's ADMIN, signed in to the admin pages of `api`."""
    from .admin_support import AdminSession

    return AdminSession.signed_in(api[0], request.module.ADMIN)
