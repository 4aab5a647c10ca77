"""Which emails a person may turn off (domain/choices.py): reminders, confirmations and renewal
reminders; the legally necessary ones (invoices, the password reset) and the changes to what was
agreed always go."""

import pytest

from services.notifications.domain import choices


@pytest.mark.parametrize("kind", ["booking_reminder", "signup_reminder", "enrolment_reminder"])
def test_a_reminder_is_not_emailed_to_a_person_who_turned_reminders_off(kind):
    assert not choices.emailed(kind, declined={"reminders"})
    assert choices.emailed(kind, declined=set())


@pytest.mark.parametrize("kind", ["booking_confirmed", "signup_confirmed", "enrolment_confirmed", "hours_validated"])
def test_a_confirmation_is_not_emailed_to_a_person_who_turned_confirmations_off(kind):
    assert not choices.emailed(kind, declined={"confirmations"})
    assert choices.emailed(kind, declined={"reminders"})


def test_a_renewal_reminder_is_not_emailed_to_a_person_who_turned_renewals_off():
    assert not choices.emailed("honorability_renewal", declined={"renewals"})
    assert choices.emailed("honorability_renewal", declined={"reminders", "confirmations"})


@pytest.mark.parametrize(
    "kind",
    ["invoice_issued", "password_reset", "booking_cancelled", "booking_promoted", "activity_rescheduled"],
)
def test_invoices_the_password_reset_and_changes_always_go_whatever_the_choice(kind):
    assert choices.emailed(kind, declined=set(choices.OPTIONAL))


def test_a_kind_no_category_names_is_sent_rather_than_dropped():
    assert choices.emailed("something_new", declined=set(choices.OPTIONAL))


def test_no_legally_necessary_category_can_be_chosen():
    assert not set(choices.OPTIONAL) & set(choices.NECESSARY)
    assert choices.category("invoice_issued") in choices.NECESSARY
    assert choices.category("password_reset") in choices.NECESSARY


def test_only_the_people_who_hold_an_attestation_are_offered_its_renewal_reminders():
    assert choices.offered("family") == ("reminders", "confirmations")
    for role in ("staff", "trainee", "volunteer"):
        assert choices.offered(role) == ("reminders", "confirmations", "renewals")
    assert "invoices" in choices.always("family") and "invoices" not in choices.always("volunteer")
