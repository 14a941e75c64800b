"""The accountant's web dashboard: server-rendered pages over the same application and
read models as the API. Route modules register themselves on ``dashboard`` when imported
here."""

from __future__ import annotations

from flask import Blueprint

dashboard = Blueprint("dashboard", __name__, template_folder="templates",
                      static_folder="static", static_url_path="/static")
