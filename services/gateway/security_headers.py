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
  A file meant to be kept (the evacuation register's last copy, services/gateway/register_copy.py)
  is marked with `keep_in_browser`: « private, no-cache », kept by this browser only and checked
  with the gateway each time it can be reached, so a tablet still has it when the network is gone.
- A self-contained file (the same copy: its style and script inline, so it works opened from the
  tablet's files) is allowed those inline blocks by their hashes (`allow_inline`), nothing more.
- Strict-Transport-Security, when COCOON_SECURE_COOKIES=1 (the venue is served over https):
  browsers then refuse plain http for a year.
"""

import base64
import hashlib

from flask import request


def _policy(scripts="", styles=""):
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{scripts}",
            f"style-src 'self'{styles}",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = _policy()
HSTS = "max-age=31536000"  # one year; no includeSubDomains: the venue's other hosts are not ours to decide


def keep_in_browser(response):
    """This answer may be kept by the browser (only it), which asks the gateway again before using it."""
    response.headers["Cache-Control"] = "private, no-cache"
    response.kept_in_browser = True
    return response


def allow_inline(response, scripts=(), styles=()):
    """This answer's inline <script> and <style> blocks (their exact text) may run: their hashes join
    the policy of this answer only."""
    response.inline_sources = (_hashes(scripts), _hashes(styles))
    return response


def _hashes(blocks):
    return "".join(f" 'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in blocks)


# Set on every answer whatever it is.
STANDING = (("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"))


def init_app(app):
    static = app.static_url_path + "/"

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        # What the view set already, read once: werkzeug's `headers.get` of a missing name raises and
        # catches an HTTP exception, and `headers[name] = …` scans the list for it (~25 µs a request).
        present = set(headers.keys(lower=True))
        inline = getattr(response, "inline_sources", None)
        chosen = [("Content-Security-Policy", _policy(*inline) if inline else CONTENT_SECURITY_POLICY), *STANDING]
        kept = getattr(response, "kept_in_browser", False)
        cache_control = headers.get("Cache-Control", "") if "cache-control" in present else ""
        if not request.path.startswith(static) and not kept and "no-store" not in cache_control:
            chosen.append(("Cache-Control", "no-store"))
        if app.config["SECURE_COOKIES"]:
            chosen.append(("Strict-Transport-Security", HSTS))
        for name, value in chosen:
            if name.lower() in present:
                headers[name] = value  # the view's own value gives way
            else:
                headers.add(name, value)
        return response
