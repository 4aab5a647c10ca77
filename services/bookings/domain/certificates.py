"""The certificate a family sends with an absence request (a photo or a PDF taken on the phone):
which files are taken, and how long they are kept.

Sources: RGPD art. 9 (a medical or hospital certificate is health data: processed only as
needed, here to prove a deduction, CNAF "conditions particulières PSU" 2011) and art. 5(1)(e)
(storage limitation: kept no longer than needed). [practice]: JPEG, PNG or PDF, at most 5 Mio,
the type read from the file's first bytes (its signature), never from its name or the type the
sender declares; the certificate is deleted `retention_days` after staff decided on the absence
(183 days by default, a setting: long enough for the family to contest the decision or the
month's bill with the proof still at hand; the decision itself, who and when and that the proof
was seen, stays with the absence).
"""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_BYTES = 5 * 1024 * 1024  # 5 Mio [practice]: a phone photo of a page, or a scanned PDF
DEFAULT_RETENTION_DAYS = 183  # about six months after the decision [practice]
# The signatures (first bytes) of the files taken, and the media type each is served as.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
MEDIA_TYPES = tuple(media_type for _, media_type in SIGNATURES)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def media_type(content: bytes) -> str | None:
    """The media type the file's first bytes say it is (JPEG, PNG or PDF), else None."""
    return next((kind for signature, kind in SIGNATURES if content.startswith(signature)), None)


def certificate_errors(content: bytes) -> dict[str, list[str]]:
    """French errors of a certificate file, under `certificate`; {} when it is taken: not empty,
    at most MAX_BYTES, a JPEG, a PNG or a PDF by its content."""
    if not content:
        return {"certificate": ["Le fichier est vide : reprenez la photo ou choisissez le PDF du certificat."]}
    if len(content) > MAX_BYTES:
        size = f"{len(content) / (1024 * 1024):.1f}".replace(".", ",")
        return {
            "certificate": [
                f"Le fichier fait {size} Mio : 5 Mio au plus. Reprenez la photo en qualité normale, "
                "ou envoyez un PDF plus léger."
            ]
        }
    if media_type(content) is None:
        return {
            "certificate": [
                "Ce fichier n'est ni une photo (JPEG, PNG) ni un PDF : envoyez une photo ou un PDF du certificat."
            ]
        }
    return {}


def deleted_after(decided_at: datetime, retention_days: int) -> datetime:
    """When a certificate is deleted: `retention_days` after the decision on its absence."""
    return decided_at + timedelta(days=retention_days)


def expired(decided_at: datetime | None, now: datetime, retention_days: int) -> bool:
    """Whether a certificate is past its keeping: its absence was decided, `retention_days` ago
    or more. A request still waiting keeps its certificate (staff have not seen it yet)."""
    return decided_at is not None and now >= deleted_after(decided_at, retention_days)
