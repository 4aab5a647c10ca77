"""The personal link to a session's satisfaction questionnaire, for a participant without an
account (a professional, an external person): /formations/avis/<session>/<participant>/<code>.

The code is the credential: the HMAC (SHA-256, 128 bits kept) of the session and participant ids
under a key derived from the gateway's secret key, as the calendar link's (calendar_link.py).
Nothing is stored; staff can show the link again at any time; it only ever answers that one
participant's questionnaire, once (the education service refuses a second answer). Changing
COCOON_SECRET_KEY changes every link.
"""

import hashlib
import hmac

from flask import current_app, url_for

MAC_HEX_DIGITS = 32  # 128 bits


def _key():
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"cocoonage satisfaction link", hashlib.sha256).digest()


def code_of(session_id, participant_id):
    message = f"{session_id}:{participant_id}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()[:MAC_HEX_DIGITS]


def is_valid(session_id, participant_id, code):
    return len(code or "") == MAC_HEX_DIGITS and hmac.compare_digest(code_of(session_id, participant_id), code)


def url_of(session_id, participant_id):
    """On the venue's configured address (COCOON_PUBLIC_URL), never the request's Host."""
    path = url_for(
        "training_reports.satisfaction_by_link",
        session_id=session_id,
        participant_id=participant_id,
        code=code_of(session_id, participant_id),
    )
    return current_app.config["PUBLIC_URL"] + path
