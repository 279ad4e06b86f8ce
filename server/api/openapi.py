"""GET /api/v1/openapi.json: the API's description (openapi.yaml beside this file), as JSON."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)


DOCUMENT = Path(__file__).with_name("openapi.yaml")


@functools.cache
def document() -> dict:
    return yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
