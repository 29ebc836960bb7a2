from flask import Blueprint, abort
from flask_login import current_user
from flask_security import roles_required

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


@admin_bp.before_request
def require_login():
    if not current_user.is_authenticated:
        abort(401)


@admin_bp.route("/users")
def list_users():
    return "users"


@admin_bp.route("/users/<int:user_id>", methods=["DELETE"])
@roles_required("admin")
def delete_user(user_id):
    return "deleted"
