from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address)


def create_app():
    app = Flask(__name__)
    limiter.init_app(app)
    from .admin import admin_bp
    from .auth import auth_bp
    from .main import main_bp

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp)
    app.register_blueprint(main_bp)
    return app
