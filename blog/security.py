"""Security headers on every response: Content-Security-Policy and the browser safeguards.

The policy allows scripts, styles and images from this site only: templates carry no
inline script, style attribute or event handler (tests/test_security_headers.py scans
them), so nothing needs `unsafe-inline`. The article page's JSON-LD block is data, not
script, and a policy does not apply to it.

`form-action` lists the share networks besides 'self': a no-JavaScript share button
POSTs here and is answered with a 303 to the network, and browsers apply form-action to
the redirects that follow a form submission.

`Cross-Origin-Resource-Policy` is `same-origin` on pages, so another site cannot embed
them as a resource; static files and uploads are `cross-origin`, because feed readers and
mail programs show the images a feed or a shared article names.

Headers are set only when a view has not set its own, so a view can be more specific.
"""

from flask import Flask, Response, request

from blog.services.shares import form_action_sources

HSTS = "max-age=31536000; includeSubDomains"
CORP = "Cross-Origin-Resource-Policy"
# Endpoints whose answers other sites may load: static files and uploaded images.
SHARED_RESOURCE_ENDPOINTS = frozenset({"static", "public.upload"})
# Features Byline never uses. Clipboard writes and the browser's share sheet (share.js)
# stay allowed.
DENIED_FEATURES = (
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
)


def content_security_policy() -> str:
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
        "form-action": f"'self' {form_action_sources()}",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers() -> dict[str, str]:
    """The headers every response carries (besides HSTS, which needs HTTPS, and
    Cross-Origin-Resource-Policy, which depends on what is served)."""
    return {
        "Content-Security-Policy": content_security_policy(),
        "X-Content-Type-Options": "nosniff",
        # Not no-referrer: the reader forms check Origin, else Referer, and refuse "null".
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": ", ".join(f"{feature}=()" for feature in DENIED_FEATURES),
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def register(app: Flask) -> None:
    """Add the headers hook to app; calling it again changes nothing."""
    if "byline_security" in app.extensions:
        return
    headers = security_headers()
    app.extensions["byline_security"] = headers
    plain = [(name.lower(), name, value) for name, value in headers.items()]
    secure = [*plain, ("strict-transport-security", "Strict-Transport-Security", HSTS)]
    page_policy = (CORP.lower(), CORP, "same-origin")
    shared_policy = (CORP.lower(), CORP, "cross-origin")

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        # One pass over the response's headers (setdefault would scan them once per name):
        # this runs on every answer, cached pages included.
        present = {name.lower() for name, _ in response.headers.to_wsgi_list()}
        # Behind a proxy, ProxyFix (when configured) makes is_secure true.
        is_shared = request.endpoint in SHARED_RESOURCE_ENDPOINTS
        wanted = [
            *(secure if request.is_secure else plain),
            shared_policy if is_shared else page_policy,
        ]
        response.headers.extend(
            [(name, value) for key, name, value in wanted if key not in present]
        )
        return response
