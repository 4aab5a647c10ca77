"""The venue's own choices, read from the environment (documented in README and childcare.md)."""
from dataclasses import dataclass
from decimal import Decimal

from services.bookings.domain.ratio import DEFAULT_WALKING_AGE_MONTHS, RatioOption
from services.bookings.domain.waitlist import DEFAULT_AVIP_SHARE
from shared import config


@dataclass(frozen=True)
class VenueSettings:
    ratio_option: RatioOption = RatioOption.FIVE_EIGHT  # written in the venue's rules (R2324-43)
    micro_creche: bool = False
    avip_share: Decimal = DEFAULT_AVIP_SHARE
    billing_increment_minutes: int = 30  # each started half-hour is due [practice]
    cancel_notice_hours: int = 48  # cancelled later than this: billed as booked [practice]
    walking_age_months: int = DEFAULT_WALKING_AGE_MONTHS


def load():
    return VenueSettings(
        ratio_option=RatioOption(config.env("COCOON_RATIO_OPTION", "5_8")),
        micro_creche=config.env("COCOON_MICRO_CRECHE", "false").lower() in ("1", "true", "yes"),
        avip_share=Decimal(config.env("COCOON_AVIP_SHARE", str(DEFAULT_AVIP_SHARE))),
        billing_increment_minutes=config.env_int("COCOON_BILLING_INCREMENT_MINUTES", 30),
        cancel_notice_hours=config.env_int("COCOON_CANCEL_NOTICE_HOURS", 48),
        walking_age_months=config.env_int("COCOON_WALKING_AGE_MONTHS", DEFAULT_WALKING_AGE_MONTHS),
    )
