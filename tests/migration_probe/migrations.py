"""The probe's own steps: each appends its name to CALLS (the tests replace STEPS at will)."""

from shared.migrations import Step

CALLS = []


def add_a_note(database, models):
    CALLS.append("20300102_add_a_note")
    models.Note.create(text="added by a data step")


def tag_the_notes(database, models):
    CALLS.append("20300101_tag_the_notes")
    if "tag" not in {column.name for column in database.get_columns("note")}:
        database.execute_sql("ALTER TABLE note ADD COLUMN tag VARCHAR(20)")


# Listed out of order on purpose: steps apply in the order of their names.
STEPS = [Step("20300102_add_a_note", add_a_note), Step("20300101_tag_the_notes", tag_the_notes)]
