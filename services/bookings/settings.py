"""The venue's own choices, read from the environment (documented in README and docs/childcare-rules.md)."""

import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from cryptography.fernet import Fernet

from services.bookings.domain import emergency
from services.bookings.domain.certificates import DEFAULT_RETENTION_DAYS
from services.bookings.domain.early_end import DEFAULT_NOTICE_DAYS
from services.bookings.domain.invoicing import DEFAULT_DUE_DAYS, DEFAULT_PAYMENT_TERMS, siret
from services.bookings.domain.places import OpeningDay, parse_opening
from services.bookings.domain.ratio import DEFAULT_WALKING_AGE_MONTHS, RatioOption
from services.bookings.domain.waitlist import DEFAULT_AVIP_SHARE
from services.bookings.sepa.creditor import SepaCreditor, read_creditor
from shared import config
from shared.settings import ServiceSettings, boolean, share, whole


@dataclass(frozen=True)
class VenueSettings:
    ratio_option: RatioOption = RatioOption.FIVE_EIGHT  # written in the venue's rules (R2324-43)
    micro_creche: bool = False
    avip_share: Decimal = DEFAULT_AVIP_SHARE
    billing_increment_minutes: int = 30  # each started half-hour is due [practice]
    cancel_notice_hours: int = 48  # cancelled later than this: billed as booked [practice]
    walking_age_months: int = DEFAULT_WALKING_AGE_MONTHS
    creche_places: int = 12  # the crèche's authorised places (its agrément): the AVIP share applies to them
    avip_release_hours: int = 48  # places still kept for AVIP this long before a slot go to others [practice]
    # the weekly opening pattern: weekday -> OpeningDay(opens, closes, places) (domain/places.py)
    opening: dict[int, OpeningDay] = field(default_factory=lambda: parse_opening(DEFAULT_OPENING))
    contract_notice_days: int = DEFAULT_NOTICE_DAYS  # a family ends a contract this long ahead [practice]
    # resources unknown (emergency care, domain/emergency.py): the floor rate, or the venue's
    # average hourly rate of the previous year (€/h, exact)
    emergency_rate: str = emergency.FLOOR
    emergency_average_rate: Decimal | None = None
    # invoices (domain/invoicing.py): due this many days after issue [practice], and the legal
    # mentions frozen into each one when a month is closed (the organisation settings the
    # gateway's documents use: the same COCOON_ORGANISATION_* variables)
    invoice_due_days: int = DEFAULT_DUE_DAYS
    issuer_name: str = "Cocoon'Age"
    issuer_address: str = ""
    issuer_siret: str = ""
    payment_terms: str = DEFAULT_PAYMENT_TERMS
    # The Fernet keys of the absence certificates: the first encrypts, each decrypts (a key being
    # replaced stays listed after the new one). Never shown (repr=False). A test's settings get a
    # fresh key; the service's come from COCOON_CERTIFICATE_KEY (certificate_keys below).
    certificate_keys: tuple = field(default_factory=lambda: (Fernet.generate_key(),), repr=False)
    # The Fernet keys of the children's health files (RGPD art. 9), apart from the certificates'
    # so that either can be replaced alone: COCOON_HEALTH_KEY, same form (health_keys below).
    health_keys: tuple = field(default_factory=lambda: (Fernet.generate_key(),), repr=False)
    certificate_retention_days: int = DEFAULT_RETENTION_DAYS  # deleted this long after the decision
    sepa: SepaCreditor = field(default_factory=SepaCreditor)  # the creditor of SEPA debits (BOOKINGS_SEPA_*)


DEFAULT_OPENING = "0-4 07:30-18:30 12"  # Monday to Friday, 12 places


def load():
    """Raises ValueError naming the variable when a value is not understood."""
    try:
        return _read()
    except ValueError as exc:
        raise ValueError(f"invalid venue setting: {exc} (see docs/childcare-rules.md)") from None


def _read():
    places = whole("COCOON_CRECHE_PLACES", 12, low=1)
    try:
        opening = parse_opening(config.env("COCOON_OPENING", f"0-4 07:30-18:30 {places}"))
    except ValueError as exc:
        raise ValueError(f"COCOON_OPENING: {exc}") from None
    return VenueSettings(
        ratio_option=RatioOption(config.env("COCOON_RATIO_OPTION", "5_8")),
        micro_creche=boolean("COCOON_MICRO_CRECHE", False),
        avip_share=share("COCOON_AVIP_SHARE", DEFAULT_AVIP_SHARE),
        billing_increment_minutes=whole("COCOON_BILLING_INCREMENT_MINUTES", 30),
        cancel_notice_hours=whole("COCOON_CANCEL_NOTICE_HOURS", 48),
        walking_age_months=whole("COCOON_WALKING_AGE_MONTHS", DEFAULT_WALKING_AGE_MONTHS),
        creche_places=places,
        opening=opening,
        contract_notice_days=whole("COCOON_CONTRACT_NOTICE_DAYS", 30, low=0),
        avip_release_hours=whole("COCOON_AVIP_RELEASE_HOURS", 48, low=0),
        invoice_due_days=whole("COCOON_INVOICE_DUE_DAYS", DEFAULT_DUE_DAYS, low=0, high=60),
        issuer_name=_text("COCOON_VENUE_NAME", "Cocoon'Age"),
        issuer_address=_text("COCOON_ORGANISATION_ADDRESS", ""),
        issuer_siret=siret(config.env("COCOON_ORGANISATION_SIRET", "")),
        payment_terms=_text("COCOON_INVOICE_PAYMENT_TERMS", DEFAULT_PAYMENT_TERMS),
        certificate_keys=certificate_keys(),
        health_keys=health_keys(),
        certificate_retention_days=whole("COCOON_CERTIFICATE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, low=1),
        sepa=read_creditor(),
        **_emergency(),
    )


def _text(name, default):
    return " ".join(str(config.env(name, default) or "").split())


def certificate_keys():
    """COCOON_CERTIFICATE_KEY (one Fernet key, or several separated by commas, the first one
    encrypting), else a key kept in the var directory for development (`make run` with no
    configuration), made once and readable by this user only."""
    return _fernet_keys("COCOON_CERTIFICATE_KEY", "bookings-certificate-key")


def health_keys():
    """COCOON_HEALTH_KEY, as COCOON_CERTIFICATE_KEY: the keys of the children's health files."""
    return _fernet_keys("COCOON_HEALTH_KEY", "bookings-health-key")


def _fernet_keys(variable, kept_name):
    text = config.env(variable) or _kept_development_key(kept_name)
    keys = tuple(key.strip().encode("ascii") for key in text.split(",") if key.strip())
    try:
        for key in keys:
            Fernet(key)
    except ValueError:
        raise ValueError(
            f"{variable}: each key is 32 bytes in URL-safe base64 (make one with "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
        ) from None
    if not keys:
        raise ValueError(f"{variable}: no key given")
    return keys


def _kept_development_key(name):
    """The key in <COCOON_VAR_DIR>/<name>, written whole the first time (a second instance
    starting at the same moment finds either no key or the whole key, as the gateway's secret key)."""
    path = config.var_dir() / name
    handle, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")  # mode 600
    try:
        with os.fdopen(handle, "w") as written:
            written.write(Fernet.generate_key().decode("ascii"))
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)
    return path.read_text().strip()


def _emergency():
    """COCOON_EMERGENCY_RATE (floor | average) and, for average, COCOON_EMERGENCY_AVERAGE_RATE (€/h)."""
    mode = config.env("COCOON_EMERGENCY_RATE", emergency.FLOOR)
    if mode not in emergency.MODES:
        raise ValueError(f"COCOON_EMERGENCY_RATE={mode!r} is neither floor nor average")
    raw = config.env("COCOON_EMERGENCY_AVERAGE_RATE", "")
    if mode == emergency.FLOOR and not raw:
        return {"emergency_rate": mode}
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        rate = Decimal("NaN")
    if not rate.is_finite() or rate < 0 or rate > 100:
        raise ValueError(f"COCOON_EMERGENCY_AVERAGE_RATE={raw!r} is not an hourly rate in euros (0 to 100)")
    return {"emergency_rate": mode, "emergency_average_rate": rate}


class Settings(ServiceSettings):
    """The venue settings, read once when the service starts: a wrong value stops the start
    with a clear message instead of failing every booking later."""

    load = staticmethod(load)
