"""An IBAN and a BIC as a family types them, checked with schwifty: normalised (no space, upper
case) or refused with a French sentence naming what is wrong.

Source: ISO 13616 (IBAN: country, 2 check digits MOD 97-10, the country's BBAN of fixed length),
checked by schwifty with the national check digits where the country has them (the French RIB
key, validate_bban=True); ISO 9362 (BIC: 8 or 11 characters). Only accounts of the SEPA zone can
be debited (EPC SDD Core rulebook).
"""

from schwifty import BIC, IBAN
from schwifty.exceptions import (
    InvalidBBANChecksum,
    InvalidChecksumDigits,
    InvalidCountryCode,
    InvalidLength,
    InvalidStructure,
    SchwiftyException,
)

IBAN_MESSAGES = (
    (InvalidChecksumDigits, "La clé de contrôle de l'IBAN est fausse : vérifiez chaque caractère."),
    (InvalidBBANChecksum, "La clé RIB contenue dans l'IBAN est fausse : vérifiez chaque caractère."),
    (InvalidLength, "L'IBAN n'a pas le bon nombre de caractères pour son pays (27 pour un IBAN français)."),
    (InvalidCountryCode, "L'IBAN doit commencer par le code d'un pays, par exemple FR76."),
    (InvalidStructure, "L'IBAN commence par les deux lettres du pays, puis des chiffres et des lettres seulement."),
)
SHORTEST_IBAN = 15  # Norway's; the French one has 27 characters
IBAN_INVALID = "Cet IBAN n'est pas valide."
OUTSIDE_SEPA = "Cet IBAN n'est pas d'un pays de la zone SEPA : le prélèvement est impossible."
BIC_INVALID = "Ce BIC n'est pas valide (8 ou 11 lettres et chiffres, par exemple BNPAFRPPXXX)."


def checked_iban(text):
    """(normalised IBAN, None) or (None, French sentence)."""
    compact = "".join((text or "").split())
    if compact.isalnum() and len(compact) < SHORTEST_IBAN:
        return None, IBAN_MESSAGES[2][1]  # what schwifty calls a structure error is a number cut short
    try:
        iban = IBAN(compact, validate_bban=True)
    except SchwiftyException as exc:
        return None, next((message for kind, message in IBAN_MESSAGES if isinstance(exc, kind)), IBAN_INVALID)
    if not iban.in_sepa_zone:
        return None, OUTSIDE_SEPA
    return iban.compact, None


def checked_bic(text):
    """(normalised BIC, None) or (None, French sentence)."""
    try:
        return str(BIC("".join((text or "").split()).upper())), None
    except SchwiftyException:
        return None, BIC_INVALID


def bic_of(iban):
    """The BIC of a valid IBAN's bank when schwifty's bank registry knows it, else None."""
    try:
        bic = IBAN(iban).bic
    except SchwiftyException:
        return None
    return str(bic) if bic else None
