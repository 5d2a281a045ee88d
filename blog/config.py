"""Default settings; instance/config.py and the environment override them."""

from datetime import timedelta


class Defaults:
    # SQLALCHEMY_DATABASE_URI is filled in by the factory (a file in instance/)
    # unless DATABASE_URL or instance/config.py names another database.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 15_000

    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    UPLOADS_DIR = None  # default: instance/uploads
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock

    PAGE_SIZE = 12
    FEED_SIZE = 20
    WORDS_PER_MINUTE = 230
    SITE_URL = None  # e.g. "https://news.example.org"; used where no request exists

    REDIS_URL = None
    # Behind a reverse proxy: how many proxies to trust for the client address and scheme
    # (X-Forwarded-For/-Proto/-Host). 0 = none, the right value when serving directly.
    PROXY_FIX_X_FOR = 0
    SHARE_RATE_LIMIT = "30 per minute; 300 per day"  # counted shares per reader
    INVITATION_MAX_AGE = 72 * 3600  # seconds an invitation link stays valid

    # Whole public pages for anonymous readers (blog/pagecache.py): in each worker's
    # memory, or in Redis when REDIS_URL is set. Changes show at once; counts lag <= TTL.
    PAGE_CACHE = True
    PAGE_CACHE_TTL = 60  # seconds
    PAGE_CACHE_SIZE = 500  # pages per worker (in-process store only)
    PAGE_CACHE_PREFIX = "byline:"  # Redis key prefix; give each site on one Redis its own
    PAGE_CACHE_GENERATION_FILE = None  # default: instance/page_cache_generation
