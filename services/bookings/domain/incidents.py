"""The incident and accident register of the crèche: what a line must say, and how it is corrected.

- A line says what happened, when (not in the future), who was involved or saw it, the first aid
  given, and when the family was told (not before it happened) [practice: what a director checks].
- A **serious** accident is told to the PMI (the département's president) without delay
  (CSP art. R2324-44-2) [unconfirmed: the article's number; the duty is in the ministry's
  guide of the EAJE]: a serious line is refused without the day the PMI was notified, which is
  neither before the accident nor in the future.
- A line is **never changed**: a correction is a new line naming the one it corrects, which stays
  in the register (`is_corrected`); a line already corrected is not corrected again (correct the
  newest) [practice].

Standard library only.
"""

from __future__ import annotations

from datetime import datetime

KINDS = ("incident", "accident")


def errors(line: dict, now: datetime, venue_day) -> dict:
    """{field: [French sentence]} for a line of the register (empty: acceptable). `venue_day`
    turns an aware time into the venue's date."""
    found = {}
    occurred_at = line["occurred_at"]
    if occurred_at > now:
        found["occurred_at"] = ["Cette heure n'est pas encore passée."]
    told = line.get("family_told_at")
    if told is not None and (told < occurred_at or told > now):
        found["family_told_at"] = ["La famille est prévenue après les faits, et pas dans le futur."]
    notified = line.get("pmi_notified_on")
    if line.get("serious") and notified is None:
        found["pmi_notified_on"] = [
            "Un accident grave est signalé sans délai à la PMI : indiquez le jour où elle a été prévenue."
        ]
    elif notified is not None and not venue_day(occurred_at) <= notified <= venue_day(now):
        found["pmi_notified_on"] = ["La PMI est prévenue le jour des faits ou après, et pas dans le futur."]
    return found


def is_corrected(line_id: str, corrected_ids: set[str]) -> bool:
    """A line some newer line corrects."""
    return line_id in corrected_ids


def correctable(line_id: str, corrected_ids: set[str]) -> bool:
    """Only the newest version of a line is corrected (the register keeps every version)."""
    return not is_corrected(line_id, corrected_ids)
