"""The attestations d'honorabilité to renew, for every adult with the children: staff (team),
trainees (placements) and volunteers (volunteers), each service giving its own lines in one shape
(shared/renewals.py RenewalOut) for the same notice. The JSON API and the staff page both
read it here. A service that does not answer leaves its part out, named, instead of failing the
list: the others still have to be renewed."""

from dataclasses import dataclass

from nameko.exceptions import IncorrectSignature, MethodNotFound, RemoteError, RpcTimeout, UnknownService

from shared.errors import ServiceError
from shared.honorability import RENEWAL_NOTICE_DAYS

# (service asked, the kind of person its lines are about), in the order the parts are named
SOURCES = (("team", "staff"), ("placements", "trainee"), ("volunteers", "volunteer"))
# no answer, or a service of an older version that has not got honorability_renewals yet
UNANSWERED = (ServiceError, RemoteError, RpcTimeout, UnknownService, MethodNotFound, IncorrectSignature)


@dataclass(frozen=True)
class Renewals:
    items: list  # RenewalOut lines, missing first, then by the day they expire
    unavailable: list  # the kinds ("staff", "trainee", "volunteer") whose service did not answer


def renewal_order(line):
    """No attestation first, then the soonest last valid day, then by name (and id, to be stable)."""
    expires_on = line.get("expires_on")
    return (expires_on is not None, expires_on or "", line.get("name") or "", line.get("person_id") or "")


def combined(rpc, notice_days=RENEWAL_NOTICE_DAYS):
    """The three services' lines for `notice_days` ahead, merged and sorted."""
    items, unavailable = [], []
    for service, kind in SOURCES:
        try:
            items += getattr(rpc, service).honorability_renewals(notice_days)
        except UNANSWERED:
            unavailable.append(kind)
    return Renewals(sorted(items, key=renewal_order), unavailable)
