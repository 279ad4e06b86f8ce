"""The advising office's side, under /admin: the rules (editor with live testing, review,
publish, versions), the rulebook of categories, the program directory, the season
calendar, users, statistics and the audit log.

Pages are rendered on the server (templates/) with small plain-JS modules (static/) and
no build step; the JSON the rule editor speaks lives under /admin/api. guard.py decides
who may enter; every state-changing request carries the session's CSRF token.
"""

from flask import Blueprint

from . import (
    audit_views,
    calendar_views,
    data_versions_views,
    directory_views,
    display,
    guard,
    overview_views,
    rulebook_views,
    rules_views,
    signin,
    stats_views,
    users_views,
    versions_views,
)

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static")
guard.protect(bp)
display.register(bp)
for pages in (overview_views, signin, rules_views, rulebook_views, versions_views, directory_views, calendar_views,
              data_versions_views, users_views, stats_views, audit_views):
    bp.register_blueprint(pages.bp)
