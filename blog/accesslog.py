"""Secrets kept out of gunicorn's logs: tokens in links (invitations) are redacted.

A link that carries a secret must work from an e-mail without JavaScript, so the secret
stays in the URL; this module keeps it out of the request line, the Referer and any other
part of a log line. The two lists below are the one place to name a new kind of secret
link: deploy/nginx.conf and deploy/Caddyfile redact the same (tests/test_deploy_proxies.py
sends each through them).

gunicorn.conf.py loads this file by its path, without importing the `blog` package into
gunicorn's master (a HUP must still give new workers new code), so it imports nothing
from Byline.
"""

import logging
import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# Paths whose next segment is a secret: /editor/invite/<token>, /editor/mail-action/<token>,
# /editor/reset/<token>, and the links in readers' mail under /mail/ (confirming a
# subscription or a comment, managing subscriptions, leaving). Each names its whole
# prefix: /editor/mail/failures is no secret.
SECRET_PATHS = (
    "/editor/invite/",
    "/editor/mail-action/",
    "/editor/reset/",
    "/mail/confirm/",
    "/mail/comment/",
    "/mail/manage/",
    "/mail/unsubscribe/",
)
# Query parameters whose value is a secret: ?token=..., ?code=..., ?key=...
SECRET_PARAMETERS = ("token", "code", "key")

_PATHS = "|".join(re.escape(path) for path in SECRET_PATHS)
_NAMES = "|".join(re.escape(name) for name in SECRET_PARAMETERS)
# A secret path, or a secret parameter after ?, &, ; (or where a bare query string starts,
# or a log field opens); then the secret itself, up to the next delimiter.
_SECRET = re.compile(
    rf"(?P<keep>{_PATHS}|[?&;\s\"](?:{_NAMES})=|^(?:{_NAMES})=)[^/?&;#\s\"]+", re.IGNORECASE
)


def redact(text: str) -> str:
    """text (a log line, a URL, a request target) with every secret replaced by [redacted]."""
    return _SECRET.sub(lambda match: match["keep"] + REDACTED, text)


class RedactSecrets(logging.Filter):
    """Formats each record and redacts the secrets from the finished line, whatever
    the log format puts in it (request line, path, query, Referer)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: the handler reports it as it would anyway
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


_redact_secrets = RedactSecrets()


class RedactingLogger(Logger):
    """gunicorn's logger, its access and error logs without secrets (logger_class)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(_redact_secrets)  # once: the same filter is not added twice
