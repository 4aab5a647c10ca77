"""The security headers of every answer, set in this one place.

- Content-Security-Policy: scripts, styles, images and requests from this site only, no inline
  script or style (a page's behaviour lives in static/*.js), no plugin, no form sent elsewhere,
  and no framing (with X-Frame-Options for older browsers): an injected tag cannot run, and no
  other site can dress our buttons under its own (clickjacking).
- X-Content-Type-Options: nosniff — a file is taken for what its type says, never guessed.
- Referrer-Policy: same-origin — a page's address (a calendar link's secret…) is never sent to
  another site.
- Cache-Control: no-store on everything but the static files: the pages and API answers are
  personal (and carry the session cookie or a form's CSRF token), so no cache keeps them.
- Strict-Transport-Security, when COCOON_SECURE_COOKIES=1 (the venue is served over https):
  browsers then refuse plain http for a year.
"""

from flask import request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000"  # one year; no includeSubDomains: the venue's other hosts are not ours to decide


def init_app(app):
    static = app.static_url_path + "/"

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        if not request.path.startswith(static) and "no-store" not in headers.get("Cache-Control", ""):
            headers["Cache-Control"] = "no-store"
        if app.config["SECURE_COOKIES"]:
            headers["Strict-Transport-Security"] = HSTS
        return response
