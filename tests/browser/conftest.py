"""Browser end-to-end fixtures: the session's real server, and Chromium with the
extension, a fresh profile per test module."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from .harness import configure, launch, new_user


@pytest.fixture(scope="session")
def server(live_server):
    return live_server


@pytest.fixture(scope="session")
def token(server):
    return new_user(server, "applicant@example.edu")


@pytest.fixture(scope="module")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_instance, chromium_path, tmp_path_factory, server, token):
    context = launch(playwright_instance, chromium_path, tmp_path_factory.mktemp("profile"))
    configure(context, server.url, token)
    yield context
    context.close()
