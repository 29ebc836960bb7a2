from flask import Blueprint, abort
from flask.views import MethodView
from flask_jwt_extended import jwt_required
from flask_login import current_user, login_required

from .models import Note

main_bp = Blueprint("main", __name__)


@main_bp.route("/")
def index():
    return "home"


@main_bp.route("/notes/<int:note_id>")
@login_required
def show_note(note_id):
    return Note.query.get_or_404(note_id).body


@main_bp.route("/notes/<int:note_id>", methods=["DELETE"])
def delete_note(note_id):
    if not current_user.is_authenticated:
        abort(401)
    note = Note.query.get_or_404(note_id)
    if note.owner_id != current_user.id:
        abort(403)
    note.delete()
    return "", 204


class ProfileAPI(MethodView):
    decorators = [jwt_required()]

    def get(self):
        return "profile"

    def put(self):
        return "saved"


main_bp.add_url_rule("/profile", view_func=ProfileAPI.as_view("profile"))
