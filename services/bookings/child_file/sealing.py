"""Health files encrypted at rest (RGPD art. 9; art. 32: encryption as a measure of security).

A child's health file is kept only as the Fernet token (cryptography's Fernet: AES-128-CBC with
an HMAC-SHA256, authenticated) of its JSON, made with the first of settings.health_keys
(COCOON_HEALTH_KEY); any of the keys opens it, so a key can be replaced without losing the
files kept under the old one (list the new key first, the old one after it). A key of its own,
apart from the absence certificates' (COCOON_CERTIFICATE_KEY): either can be replaced alone.
"""

import functools
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from shared.errors import Conflict


def _box(keys):
    return _made_box(tuple(keys))


@functools.lru_cache(maxsize=8)
def _made_box(keys):
    """The Fernet of these keys, made once: each booking opens the child's file."""
    return MultiFernet([Fernet(key) for key in keys])


def seal(keys, health):
    """The health file (a dict of JSON values) as stored: its Fernet token."""
    return _box(keys).encrypt(json.dumps(health, ensure_ascii=False).encode("utf-8"))


def unseal(keys, sealed):
    """The health file back; a 409 in French when no key of the service opens it."""
    try:
        return json.loads(_box(keys).decrypt(bytes(sealed)))
    except InvalidToken:
        raise Conflict(
            "Ce dossier de santé ne peut pas être lu avec les clés du service (COCOON_HEALTH_KEY a changé) : "
            "remettez l'ancienne clé après la nouvelle, ou saisissez le dossier à nouveau."
        ) from None
