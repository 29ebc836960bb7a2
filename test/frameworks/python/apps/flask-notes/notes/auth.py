from flask import Blueprint
from flask_login import login_required, logout_user

from . import limiter

auth_bp = Blueprint("auth", __name__)


@auth_bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute")
def login():
    return "login"


@auth_bp.post("/register")
def register():
    return "register"


@auth_bp.route("/logout")
@login_required
def logout():
    logout_user()
    return "bye"
