"""Who a staff member is for the children: whether they count in the ratio, whether they hold a
state diploma (the 40 % mix), and the référent santé et accueil inclusif.

Sources (docs/team-rules.md):
- CSP R2324-42: the qualifications of the staff with the children (40 % state diplomas at
  least); shared/diplomas.py holds the codes and the mix.
- CSP R2324-43 (décret n° 2021-1131): the ratio counts the professionals with the children;
  trainees and volunteers are never counted (they are not staff: other services hold them).
  Which diplomas qualify is the venue's list (COCOON_RATIO_DIPLOMAS) [practice].
- CSP R2324-39 (décret n° 2021-1131): every establishment names a référent « Santé et Accueil
  inclusif »; a venue may name more than one (the role may be shared, or covered while one is
  away) [practice]: none named is a warning for staff, not a refusal.
- Staff roles (what a staff member may open: shared/vocabulary.py STAFF_ROLES) [practice]: the
  venue's division of work, docs/accounts-rules.md.
"""

from shared.diplomas import DIPLOMAS, counts_in_ratio, holds_state_diploma
from shared.vocabulary import STAFF_ROLES


def unknown_diplomas(codes):
    """The codes that are not diplomas of shared/diplomas.py, in the order given."""
    return [code for code in codes if code not in DIPLOMAS]


def diplomas_in_order(codes):
    """The codes without repeats, in shared/diplomas.py's order (state diplomas first)."""
    wanted = set(codes)
    return [code for code in DIPLOMAS if code in wanted]


def roles_in_order(roles):
    """The staff roles without repeats, in shared/vocabulary.py's order (director first)."""
    wanted = set(roles)
    return [role for role in STAFF_ROLES if role in wanted]


def counts(codes, qualifying, active=True):
    """Whether this staff member counts in the ratio: still at the venue and holding a diploma the
    venue lists. (Their clearance is checked where they are named on duty: a person without a
    valid attestation is never with the children, shared/honorability.py.)"""
    return active and counts_in_ratio(codes, qualifying)


def state_diploma(codes):
    return holds_state_diploma(codes)


def referent_missing(members):
    """True when no active member is the référent santé et accueil inclusif. `members`:
    (active, health_referent) pairs."""
    return not any(active and referent for active, referent in members)
