"""French-first validation messages: marshmallow's English defaults replaced once, at import.

Done before any schema class is defined (shared/__init__ imports this module), because a
field copies its messages when it is created.
"""

from marshmallow import Schema, fields, validate

FIELD_MESSAGES = {
    fields.Field: {
        "required": "Ce champ est obligatoire.",
        "null": "Ce champ ne peut pas être vide.",
        "validator_failed": "Valeur invalide.",
    },
    fields.String: {"invalid": "Texte attendu."},
    fields.Integer: {"invalid": "Nombre entier attendu.", "too_large": "Nombre trop grand."},
    fields.Number: {"invalid": "Nombre attendu.", "too_large": "Nombre trop grand."},
    fields.Decimal: {"special": "Nombre attendu."},
    fields.Boolean: {"invalid": "Oui ou non (true/false) attendu."},
    fields.DateTime: {
        "invalid": "Date et heure invalides (ex. 2026-12-01T09:00:00+01:00).",
        "format": "Date et heure invalides.",
    },
    fields.AwareDateTime: {"invalid_awareness": "L'heure doit indiquer son fuseau (ex. 2026-12-01T09:00:00+01:00)."},
    fields.Date: {"invalid": "Date invalide (ex. 2026-12-01)."},
    fields.Email: {"invalid": "Adresse e-mail invalide."},
    fields.UUID: {"invalid_uuid": "Identifiant invalide."},
    fields.List: {"invalid": "Liste attendue."},
    fields.Dict: {"invalid": "Objet attendu."},
    fields.Nested: {"type": "Objet attendu."},
}


def apply():
    for cls, messages in FIELD_MESSAGES.items():
        cls.default_error_messages = {**cls.default_error_messages, **messages}
    Schema.error_messages = {
        **getattr(Schema, "error_messages", {}),
        "unknown": "Champ inconnu.",
        "type": "Objet JSON attendu.",
    }
    # Range fills {min_op}/{max_op} first, then {min}/{max} (hence the double braces).
    validate.Range.message_min = "Doit être {min_op} {{min}}."
    validate.Range.message_max = "Doit être {max_op} {{max}}."
    validate.Range.message_all = "Doit être {min_op} {{min}} et {max_op} {{max}}."
    validate.Range.message_gte, validate.Range.message_gt = "supérieur ou égal à", "supérieur à"
    validate.Range.message_lte, validate.Range.message_lt = "inférieur ou égal à", "inférieur à"
    validate.Length.message_min = "Au moins {min} caractère(s) ou élément(s)."
    validate.Length.message_max = "Au plus {max} caractères ou éléments."
    validate.Length.message_all = "Entre {min} et {max} caractères ou éléments."
    validate.Length.message_equal = "Exactement {equal} caractères ou éléments."
    validate.OneOf.default_message = "Doit être l'une de ces valeurs : {choices}."
    validate.Email.default_message = "Adresse e-mail invalide."
    validate.Regexp.default_message = "Format invalide."


apply()
