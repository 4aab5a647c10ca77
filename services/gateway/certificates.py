"""An absence certificate between the family's phone and the bookings service, for the JSON API
and the pages alike: the file read from the request (the raw body, or a form's file field), sent
by RPC as base64, and served back as a download to its family or to staff. The checks (type by
content, size) are the bookings service's (services/bookings/domain/certificates.py); the
gateway refuses only a body too large (body_limit.takes_file) or empty."""

import base64

from flask import Response, request

from services.bookings.schemas import CERTIFICATE_MAX_BYTES, CERTIFICATE_MEDIA_TYPES
from services.gateway.errors import ApiError

MAX_BYTES = CERTIFICATE_MAX_BYTES
MEDIA_TYPES = CERTIFICATE_MEDIA_TYPES
ACCEPT = ",".join(MEDIA_TYPES)  # the file input's accept attribute


def raw_body():
    """The file sent as the request's body (PUT /absences/{id}/certificate), as base64; a 422 in
    French when the body is empty."""
    content = request.get_data(cache=False)
    if not content:
        message = "Envoyez la photo ou le PDF du certificat comme corps de la requête."
        raise ApiError(422, "validation_failed", message, {"certificate": [message]})
    return encoded(content)


def form_file(name="certificate"):
    """The file of a form's field as base64, or None when none was chosen."""
    sent = request.files.get(name)
    content = sent.read() if sent else b""
    return encoded(content) if content else None


def encoded(content):
    return base64.b64encode(content).decode("ascii")


def download(answer):
    """The certificate the service answered (AbsenceCertificateOut with content_base64) as a file to
    open: only its owner family or staff get here; never cached by the browser or a proxy."""
    return Response(
        base64.b64decode(answer["content_base64"]),
        mimetype=answer["media_type"],
        headers={
            "Content-Disposition": f'inline; filename="{answer["filename"]}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
