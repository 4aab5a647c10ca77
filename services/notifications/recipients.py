"""Where a person's email goes: the one place the newer handlers (invoices, attestation renewals)
ask for an address, so that the way addresses are found can change here alone.

Today: the newest address an event told (store.email_of, the Contact table); staff and trainees
have none there yet, so they get the notification on their page without an email.
"""

from services.notifications import store


def recipient_for(role, subject_id):
    """The email address of the person `(role, subject_id)` (as the gateway's accounts name them), or None."""
    return store.email_of(role, str(subject_id))
