"""Flask extensions, created unbound and bound to the app in the factory."""

from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from blog import ratelimit
from blog.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
# No default limits: each form that needs one declares it beside its view.
limiter = Limiter(key_func=ratelimit.client_key, strategy="fixed-window")
