"""Times, numbers and dates written the French way in the contract rules' messages and
statement lines: 08:30, 2,064, le 1er mars, du 3 au 9 mars, 3 jours. [practice: the venue's wording]
"""

from datetime import date, time
from decimal import Decimal

from shared.vocabulary import MONTHS_FR


def clock(t: time) -> str:
    """08:30."""
    return f"{t.hour:02d}:{t.minute:02d}"


def fr_number(d: Decimal) -> str:
    """French display of a number: 2,064 ; 138 ; 0,5."""
    text = format(d.normalize(), "f") if d != 0 else "0"
    return text.replace(".", ",")


def fr_day(d: date, month: bool = True) -> str:
    """'1er mars', '3 mars', or '3' without the month."""
    text = "1er" if d.day == 1 else str(d.day)
    return f"{text} {MONTHS_FR[d.month - 1]}" if month else text


def fr_dates(first: date, last: date) -> str:
    """'le 3 mars', 'du 3 au 9 mars', 'du 28 février au 5 mars', with the years when they differ."""
    if first == last:
        return f"le {fr_day(first)}"
    if first.year != last.year:
        return f"du {fr_day(first)} {first.year} au {fr_day(last)} {last.year}"
    if first.month == last.month:
        return f"du {fr_day(first, month=False)} au {fr_day(last)}"
    return f"du {fr_day(first)} au {fr_day(last)}"


def fr_days(n: int) -> str:
    """'1 jour', '3 jours'."""
    return f"{n} jour" if n == 1 else f"{n} jours"
