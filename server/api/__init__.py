"""The JSON API under /api/v1 (the contract in DESIGN.md)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import check, ledger, me, openapi, programs  # noqa: E402,F401  (routes register themselves on bp)
