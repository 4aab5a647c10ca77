"""Event contracts: the envelope every event travels in and one registry of payload schemas.

An event's full name is `<source service>.<event type>` (past tense), e.g.
`bookings.activity_scheduled`; on the bus it is published on nameko's `<source>.events`
exchange with the event type as routing key, so plain nameko handlers receive it.
"""

from shared.events.envelope import EnvelopeSchema, check_outgoing, new_event, validate_event
from shared.events.registry import CONTRACTS, contract_for, split_name

__all__ = ["EnvelopeSchema", "check_outgoing", "new_event", "validate_event", "CONTRACTS", "contract_for", "split_name"]
