"""The rulebook page: every category, what it means and where its authority comes from, and
how a severity is chosen (docs/rulebook.md, as the repository holds it)."""

from __future__ import annotations

from flask import Blueprint, render_template

from .rulebook import rulebook

bp = Blueprint("rulebook", __name__)


@bp.get("/rulebook")
def rulebook_page():
    return render_template("admin/rulebook.html", rulebook=rulebook())
