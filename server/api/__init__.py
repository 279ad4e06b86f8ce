"""The JSON API under /api/v1 (the contract in docs/api.md): one blueprint per resource."""

from flask import Blueprint

from . import check, ledger, me, openapi, programs, sign_in

bp = Blueprint("api", __name__, url_prefix="/api/v1")
for resource in (check, ledger, me, openapi, programs, sign_in):
    bp.register_blueprint(resource.bp)
