"""Which emails a person may choose not to receive, by category; the legally necessary ones always go.

Optional (each on until the person turns it off, on their « Notifications » page; the
notification stays on their page either way) [practice]:
- `reminders`: the reminder 48 h before a booking, a sign-up or a training session;
- `confirmations`: a booking confirmed or waitlisted, a sign-up or an enrolment confirmed or
  waitlisted, hours validated (what the person asked for, told back);
- `renewals`: the reminders to renew an attestation d'honorabilité, 60 and 15 days before it
  expires (the team keeps its own renewal list: the person is not the only one who knows).

Always sent, whatever the choice:
- `invoices`: the invoice of a closed month (an invoice is given to the customer: Code de
  commerce L441-9; the family's payment is due from it) [derived];
- `account`: the password reset link (the account's security, asked for by the person or staff);
- `contract`: the contract's documents (the contrat d'accueil the family signs) [practice];
- `changes`: a cancellation, a move, a place given from the waiting list, hours refused: what
  was agreed changed, and may be billed or must be acted on [practice].
A kind no category names is sent: an email is never dropped by omission.
"""

REMINDERS, CONFIRMATIONS, RENEWALS = "reminders", "confirmations", "renewals"
INVOICES, ACCOUNT, CONTRACT, CHANGES = "invoices", "account", "contract", "changes"
OPTIONAL = (REMINDERS, CONFIRMATIONS, RENEWALS)
NECESSARY = (INVOICES, ACCOUNT, CONTRACT, CHANGES)

# The roles that hold an attestation d'honorabilité (staff, trainees, volunteers): the others are
# never offered its renewal reminders.
WITH_ATTESTATION = ("staff", "trainee", "volunteer")

CATEGORY_OF = {
    "booking_reminder": REMINDERS,
    "signup_reminder": REMINDERS,
    "enrolment_reminder": REMINDERS,
    "booking_confirmed": CONFIRMATIONS,
    "booking_waitlisted": CONFIRMATIONS,
    "signup_confirmed": CONFIRMATIONS,
    "enrolment_confirmed": CONFIRMATIONS,
    "enrolment_waitlisted": CONFIRMATIONS,
    "hours_validated": CONFIRMATIONS,
    "honorability_expiring": RENEWALS,
    "honorability_renewal": RENEWALS,
    "invoice_issued": INVOICES,
    "password_reset": ACCOUNT,
    "booking_promoted": CHANGES,
    "booking_cancelled": CHANGES,
    "activity_rescheduled": CHANGES,
    "activity_cancelled": CHANGES,
    "signup_cancelled": CHANGES,
    "enrolment_cancelled": CHANGES,
    "hours_rejected": CHANGES,
}


def category(kind):
    return CATEGORY_OF.get(kind)


def emailed(kind, declined):
    """Whether a notice of `kind` is emailed to a person who turned the categories `declined` off."""
    found = category(kind)
    return found not in OPTIONAL or found not in declined


def offered(role):
    """The optional categories a person of `role` may choose (in the page's order)."""
    return tuple(c for c in OPTIONAL if c != RENEWALS or role in WITH_ATTESTATION)


def always(role):
    """The categories a person of `role` always receives, said on their page."""
    return tuple(c for c in NECESSARY if c not in (INVOICES, CONTRACT) or role == "family")
