"""Signatures per half-day (Code du travail R6332-26: the participants sign « par demi-journée »;
the signature, not a staff tap, is what proves the hours to the funders) [practice]:

- drawn by the participant on the trainer's tablet (TABLET, the path for people without an
  account) or on their own phone after scanning the half-day's QR code (PHONE, trainees and
  volunteers; domain.half_days.qr_refusal); the trainer signs too;
- a PNG image (a `data:image/png;base64,` URL as the browser's canvas gives it), at most
  MAX_BYTES, kept with the time, the half-day, who and how;
- a signature records the presence; staff may still record « absent » or « présent, signature
  refusée » with a reason, which takes a signature of that half-day away.
"""

from __future__ import annotations

import base64
import binascii

TABLET, PHONE = "tablet", "phone"
METHODS = (TABLET, PHONE)
MAX_BYTES = 200_000  # a finger's signature on a tablet-sized canvas is a few kB to a few tens of kB
PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_of(data_url: str) -> tuple[bytes | None, str | None]:
    """(the PNG's bytes, None), or (None, a French sentence) when it is not a PNG data URL within
    MAX_BYTES."""
    if not isinstance(data_url, str) or not data_url.startswith(PREFIX):
        return None, "La signature doit être une image PNG (data:image/png;base64,…)."
    encoded = data_url[len(PREFIX) :]
    if len(encoded) > (MAX_BYTES * 4) // 3 + 4:
        return None, f"Image de signature trop lourde ({MAX_BYTES // 1000} ko au plus)."
    try:
        image = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None, "La signature n'est pas une image lisible : recommencez."
    if not image.startswith(PNG_MAGIC):
        return None, "La signature doit être une image PNG (data:image/png;base64,…)."
    if len(image) > MAX_BYTES:
        return None, f"Image de signature trop lourde ({MAX_BYTES // 1000} ko au plus)."
    return image, None
