"""How the OpenAPI document types the project's fields, where apispec's defaults say otherwise
than what is served: a Decimal written as text ("12.50") is a string with its pattern, not a number."""

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from marshmallow import fields

MONEY_PATTERN = r"^-?\d+\.\d{2}$"  # two decimals: an amount, hours ("12.50")
EXACT_PATTERN = r"^-?\d+(\.\d+)?$"  # as many decimals as it has: a rate ("2.064")


def decimal_pattern(places):
    if places is None:
        return EXACT_PATTERN
    return MONEY_PATTERN if places == 2 else rf"^-?\d+\.\d{{{places}}}$"


class _Converter(OpenAPIConverter):
    def init_attribute_functions(self):
        super().init_attribute_functions()
        # Right after the type is chosen, so that the bounds that follow see a string (x-minimum).
        self.attribute_functions.insert(1, self.decimal_as_text)

    def decimal_as_text(self, field, **kwargs):
        if not (isinstance(field, fields.Decimal) and field.as_string):
            return {}
        places = None if field.places is None else -field.places.as_tuple().exponent
        return {"type": "string", "format": "decimal", "pattern": decimal_pattern(places)}


class Plugin(MarshmallowPlugin):
    """apispec's marshmallow plugin with the project's field types."""

    Converter = _Converter
