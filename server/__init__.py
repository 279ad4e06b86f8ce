"""The pre-Match email coach's rules server."""

from __future__ import annotations

import os

from flask import Flask

from . import (
    accounts,
    addin,
    admin,
    api,
    cli,
    config,
    db,
    errors,
    health,
    limits,
    logs,
    migrate,
    rulesets,
    security,
    timeouts,
)
from .ledger import store as ledger_store
from .sso import providers as sso_providers
from .sso import views as sso_views


def create_app(test_config: dict | None = None) -> Flask:
    # COACH_INSTANCE_PATH moves the database and local state, e.g. one folder per test server.
    app = Flask(__name__, instance_relative_config=True, instance_path=os.environ.get("COACH_INSTANCE_PATH"))
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    config.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    logs.init_app(app)  # first, so that every request has its id before anything else runs
    errors.register(app)
    security.init_app(app)
    db.init_app(app)
    migrate.init_app(app)
    accounts.init_app(app, ledger_version=ledger_store.version_columns)
    rulesets.init_app(app)
    sso_providers.init_app(app)
    cli.init_app(app)

    app.register_blueprint(api.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(addin.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(sso_views.bp)
    limits.init_app(app)
    app.wsgi_app = timeouts.JsonOnTimeout(app.wsgi_app)  # outermost: whatever runs inside is covered
    return app
