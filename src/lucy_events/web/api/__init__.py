"""The JSON API under /api/v1: writes go through the application, reads come from the
read models. Route modules register themselves on ``api`` when imported here."""

from __future__ import annotations

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")
