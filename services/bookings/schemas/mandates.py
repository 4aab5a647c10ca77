"""A family's SEPA direct debit mandate (family_file/mandates.py, domain/mandates.py): what the
family gives, and how the mandate is answered, its IBAN masked (only the bank file reads it whole)."""

from marshmallow import Schema, fields, validate

from services.bookings.domain import mandates
from services.bookings.schemas.values import VenueTime

_REQUIRED = "Champ obligatoire."
_NOT_NULL = "Une valeur est attendue."
_TEXT = "Texte attendu."
_A_DATE = "Date attendue au format AAAA-MM-JJ."


def _messages(invalid, **more):
    return {"required": _REQUIRED, "null": _NOT_NULL, "invalid": invalid, **more}


class MandateIn(Schema):
    """The mandate the account holder signed: the IBAN (spaces allowed, checked with its keys), the
    holder's name as on the account, the day of signature (today or before), the BIC if known."""

    error_messages = {"unknown": "Champ inconnu.", "type": "Objet JSON attendu."}

    iban = fields.String(
        required=True,
        validate=validate.Length(max=50, error="Au plus 50 caractères."),
        error_messages=_messages(_TEXT),
        metadata={"example": "FR76 3000 6000 0112 3456 7890 189"},
    )
    holder = fields.String(
        required=True,
        validate=validate.Length(
            min=1, max=mandates.HOLDER_MAX, error=f"De 1 à {mandates.HOLDER_MAX} caractères : le nom du titulaire."
        ),
        error_messages=_messages(_TEXT),
    )
    signed_on = fields.Date(required=True, error_messages=_messages(_A_DATE, format=_A_DATE))
    bic = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=20, error="Au plus 20 caractères."),
        error_messages={"invalid": _TEXT},
    )


class MandateOut(Schema):
    """Dumps a SepaMandate: the IBAN masked (FR76 •••• •••• 1234), the reference made when it was
    recorded; `active` false once a newer mandate replaced it."""

    id = fields.String()
    family_id = fields.String()
    reference = fields.String()
    iban = fields.Function(lambda mandate: mandates.masked(mandate.iban), metadata={"type": "string"})
    bic = fields.String(allow_none=True)
    holder = fields.String()
    signed_on = fields.Date()
    active = fields.Function(lambda mandate: mandate.revoked_at is None, metadata={"type": "boolean"})
    revoked_at = VenueTime(allow_none=True)
    recorded_at = VenueTime(attribute="created_at")
    creditor_name = fields.String()
    creditor_id = fields.String()


class MandateTermsOut(Schema):
    """What the mandate form shows before the family signs: the creditor's name and identifier (ICS),
    the reference the next mandate will get, and the active mandate if there is one."""

    creditor_name = fields.String()
    creditor_id = fields.String()
    next_reference = fields.String()
    mandate = fields.Nested(MandateOut, allow_none=True)
