"""A half-day's QR code for signing on one's own phone: the code holds the gateway's address of
the signing page with a token signed with the gateway's secret (itsdangerous, HMAC-SHA1 by
default with a salt of its own), naming the session, the part and the half-day. The token proves
the code was shown by the trainer; *when* it may be used (only while the half-day runs) is the
education service's rule (services/education/domain/half_days.py qr_refusal), asked at each scan.
The QR is drawn as SVG with segno (pure Python)."""

import segno
from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup

SALT = "education.half-day-signature"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(session_id, part_index, half_day):
    return _serializer().dumps({"s": session_id, "p": part_index, "h": half_day})


def read(value):
    """(session_id, part_index, half_day) of a token, or None when it was not signed by this gateway."""
    try:
        found = _serializer().loads(value)
    except BadSignature:
        return None
    if not isinstance(found, dict) or not isinstance(found.get("p"), int):
        return None
    return str(found.get("s")), found["p"], str(found.get("h"))


def signing_url(session_id, part_index, half_day):
    """The address the QR code holds, on the venue's configured address (COCOON_PUBLIC_URL: the
    request's Host header is the caller's to choose, and a phone opens it from elsewhere)."""
    path = url_for("half_day_signatures.phone", token=token(session_id, part_index, half_day))
    return current_app.config["PUBLIC_URL"] + path


def qr_svg(url, title):
    """The QR code as inline SVG markup (dark on white, a quiet zone of 4 modules), titled for
    screen readers."""
    code = segno.make_qr(url, error="m")  # a regular QR code (never a Micro QR, which phones may not read)
    svg = code.svg_inline(scale=5, border=4, dark="#111111", light="#ffffff", title=title, svgclass="qr-code")
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))
