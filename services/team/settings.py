"""The team service's settings, read and checked once when the service starts (shared/settings.py);
each variable is documented in docs/team-rules.md, "Settings", and in README's settings table.

- COCOON_RATIO_DIPLOMAS (default: empty, every code of shared/diplomas.py): the diploma codes,
  comma-separated, that make a staff member count in the children's ratio (the venue's list).
"""

from dataclasses import dataclass

from shared import config
from shared.diplomas import DIPLOMAS
from shared.settings import ServiceSettings

RATIO_DIPLOMAS = "COCOON_RATIO_DIPLOMAS"


@dataclass(frozen=True)
class TeamSettings:
    ratio_diplomas: frozenset = frozenset(DIPLOMAS)  # codes that count in the ratio


def ratio_diplomas():
    """The codes of COCOON_RATIO_DIPLOMAS; every known diploma when it is empty or unset."""
    raw = config.env(RATIO_DIPLOMAS, "")
    codes = [code.strip() for code in raw.split(",") if code.strip()]
    unknown = [code for code in codes if code not in DIPLOMAS]
    if unknown:
        raise ValueError(
            f"{RATIO_DIPLOMAS}={raw!r}: unknown diploma code(s) {', '.join(unknown)}; "
            f"choose among {', '.join(DIPLOMAS)} (see docs/team-rules.md)"
        )
    return frozenset(codes) if codes else frozenset(DIPLOMAS)


def load():
    """Reads the environment (shared.config.env); raises ValueError naming a variable it does not understand."""
    return TeamSettings(ratio_diplomas=ratio_diplomas())


class Settings(ServiceSettings):
    """Read once at start: a wrong value stops the start with a clear message instead of failing every call later."""

    load = staticmethod(load)
