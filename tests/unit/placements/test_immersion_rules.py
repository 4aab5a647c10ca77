"""A PMSMP immersion's rules at their edges (services/placements/domain/immersion.py)."""

from datetime import date

from services.placements.domain import immersion
from services.placements.domain.working_time import PARIS
from shared.honorability import Attestation
from shared.vocabulary import IMMERSION_OBJECTS

WEEKDAYS_9_TO_17 = [{"weekday": d, "start": "09:00", "end": "17:00", "break_minutes": 60} for d in range(5)]
ADULT = date(1990, 4, 2)


class TestAtMostOneMonth:
    def test_5_january_to_4_february_is_one_month(self):
        assert immersion.dates_errors(date(2027, 1, 5), date(2027, 2, 4)) == {}

    def test_5_january_to_31_january_is_within_one_month(self):
        assert immersion.dates_errors(date(2027, 1, 5), date(2027, 1, 31)) == {}

    def test_5_january_to_5_february_is_more_than_one_month(self):
        errors = immersion.dates_errors(date(2027, 1, 5), date(2027, 2, 5))
        assert "04/02/2027" in errors["ends_on"][0]

    def test_a_single_day_is_allowed(self):
        assert immersion.dates_errors(date(2027, 1, 5), date(2027, 1, 5)) == {}

    def test_an_end_before_the_start_is_refused(self):
        assert "ends_on" in immersion.dates_errors(date(2027, 1, 5), date(2027, 1, 4))

    def test_from_31_january_the_month_ends_on_the_last_day_of_february(self):
        assert immersion.last_allowed_day(date(2027, 1, 31)) == date(2027, 2, 28)
        assert immersion.last_allowed_day(date(2028, 1, 31)) == date(2028, 2, 29)
        assert immersion.dates_errors(date(2027, 1, 31), date(2027, 3, 1)) != {}

    def test_from_1_december_the_month_ends_on_31_december(self):
        assert immersion.last_allowed_day(date(2026, 12, 1)) == date(2026, 12, 31)
        assert immersion.last_allowed_day(date(2026, 12, 15)) == date(2027, 1, 14)


class TestExactlyOneObject:
    def test_each_object_of_the_vocabulary_is_accepted(self):
        for value in IMMERSION_OBJECTS:
            assert immersion.objects_errors(value, IMMERSION_OBJECTS) == {}

    def test_a_list_of_two_objects_is_refused(self):
        assert "seul objet" in immersion.objects_errors(["discover", "confirm"], IMMERSION_OBJECTS)["object"][0]

    def test_a_list_of_one_object_is_refused_too(self):
        assert immersion.objects_errors(["discover"], IMMERSION_OBJECTS) != {}

    def test_an_unknown_object_is_refused(self):
        assert immersion.objects_errors("holiday", IMMERSION_OBJECTS) != {}


class TestTheScheduleKeepsTheWorkingTimeRules:
    def test_weekdays_9_to_17_with_an_hour_for_lunch_are_allowed_to_an_adult(self):
        errors = immersion.schedule_errors(WEEKDAYS_9_TO_17, date(2027, 1, 4), date(2027, 1, 29), ADULT, PARIS)
        assert errors == {}

    def test_ten_hours_a_day_is_allowed_and_a_minute_more_is_not(self):
        ten = [{"weekday": 0, "start": "08:00", "end": "18:00"}]
        over = [{"weekday": 0, "start": "08:00", "end": "18:01"}]
        assert immersion.schedule_errors(ten, date(2027, 1, 4), date(2027, 1, 4), ADULT, PARIS) == {}
        assert immersion.schedule_errors(over, date(2027, 1, 4), date(2027, 1, 4), ADULT, PARIS) != {}

    def test_seven_days_in_a_row_are_refused(self):
        every_day = [{"weekday": d, "start": "09:00", "end": "12:00"} for d in range(7)]
        errors = immersion.schedule_errors(every_day, date(2027, 1, 4), date(2027, 1, 17), ADULT, PARIS)
        assert errors["schedule"]

    def test_a_minor_of_16_may_not_stay_after_22_00(self):
        late = [{"weekday": 0, "start": "15:00", "end": "22:30", "break_minutes": 30}]
        minor = date(2010, 6, 1)
        assert immersion.schedule_errors(late, date(2027, 1, 4), date(2027, 1, 4), minor, PARIS) != {}

    def test_a_schedule_is_required(self):
        assert immersion.schedule_errors([], date(2027, 1, 4), date(2027, 1, 8), ADULT, PARIS) != {}

    def test_a_schedule_on_no_day_of_the_immersion_is_refused(self):
        saturday = [{"weekday": 5, "start": "09:00", "end": "12:00"}]
        assert immersion.schedule_errors(saturday, date(2027, 1, 4), date(2027, 1, 8), ADULT, PARIS) != {}


class TestPlannedHours:
    def test_four_weeks_of_seven_hours_a_day_make_140_hours(self):
        hours = immersion.planned_hours(WEEKDAYS_9_TO_17, date(2027, 1, 4), date(2027, 1, 29), PARIS)
        assert str(hours) == "140.00"


class TestSignatures:
    def test_the_convention_is_signed_on_the_last_of_the_three_signatures(self):
        signatures = {
            "beneficiary": {"signed_on": "2027-01-02"},
            "venue": {"signed_on": "2027-01-03"},
            "prescriber": {"signed_on": "2026-12-30"},
        }
        assert immersion.signed_on(signatures) == date(2027, 1, 3)

    def test_two_signatures_of_three_do_not_sign_it(self):
        assert (
            immersion.signed_on({"beneficiary": {"signed_on": "2027-01-02"}, "venue": {"signed_on": "2027-01-03"}})
            is None
        )


class TestHonorabilityOverTheDates:
    def test_an_attestation_valid_from_the_first_day_to_the_last_clears(self):
        attestation = Attestation(date(2026, 12, 1), date(2027, 1, 4))
        assert immersion.clearance_refusal("Sam", attestation, date(2027, 1, 4), date(2027, 1, 29)) is None

    def test_no_attestation_is_refused(self):
        assert "Sam" in immersion.clearance_refusal("Sam", None, date(2027, 1, 4), date(2027, 1, 29))

    def test_an_attestation_verified_the_day_after_the_start_is_refused(self):
        attestation = Attestation(date(2026, 12, 1), date(2027, 1, 5))
        assert immersion.clearance_refusal("Sam", attestation, date(2027, 1, 4), date(2027, 1, 29)) is not None

    def test_an_attestation_expiring_before_the_last_day_is_refused(self):
        attestation = Attestation(date(2024, 1, 1), date(2024, 1, 20))  # last valid day 19/01/2027
        refusal = immersion.clearance_refusal("Sam", attestation, date(2027, 1, 4), date(2027, 1, 29))
        assert "19/01/2027" in refusal

    def test_an_attestation_expiring_on_the_last_day_clears(self):
        attestation = Attestation(date(2024, 1, 1), date(2024, 1, 30))  # last valid day 29/01/2027
        assert immersion.clearance_refusal("Sam", attestation, date(2027, 1, 4), date(2027, 1, 29)) is None
