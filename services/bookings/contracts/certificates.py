"""Absence certificates encrypted at rest: a medical or hospital certificate is health data
(RGPD art. 9, art. 32: encryption as a measure of security). The file is kept only as its
Fernet token (cryptography's Fernet: AES-128-CBC with an HMAC-SHA256, authenticated), made with
the first of the service's keys (settings.certificate_keys, COCOON_CERTIFICATE_KEY); any of the
keys opens it, so a key can be replaced without losing the certificates kept under the old one.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from shared.errors import Conflict


def _box(keys):
    return MultiFernet([Fernet(key) for key in keys])


def seal(keys, content):
    """The file as stored: its Fernet token (bytes), never the file's own bytes."""
    return _box(keys).encrypt(content)


def unseal(keys, sealed):
    """The file back from its token; a 409 in French when no key of the service opens it (the
    key was changed without keeping the old one in COCOON_CERTIFICATE_KEY)."""
    try:
        return _box(keys).decrypt(bytes(sealed))
    except InvalidToken:
        raise Conflict(
            "Ce justificatif ne peut pas être lu avec les clés du service (COCOON_CERTIFICATE_KEY a changé) : "
            "demandez à la famille de l'envoyer à nouveau."
        ) from None
