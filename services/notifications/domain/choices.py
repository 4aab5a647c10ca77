"""Which emails a person may choose not to receive.

Reminders (domain/reminders.py) are a convenience: a person may turn them off, and keeps the
notification on their page. Every other email goes whatever the choice: confirmations,
cancellations and moves (what was agreed changed), and, legally necessary, invoices, the
contract and the password reset (the latter two are not sent by this service). [practice]
"""

OPTIONAL_KINDS = ("booking_reminder", "signup_reminder", "enrolment_reminder")


def emailed(kind, reminders_wanted):
    """Whether a notice of `kind` is emailed to a person whose choice is `reminders_wanted`."""
    return reminders_wanted or kind not in OPTIONAL_KINDS
