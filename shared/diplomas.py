"""The diplomas of the people who care for the children, one code each (team service's
profiles, bookings' ratio and the 40 % mix of CSP R2324-42).

R2324-42 (since 1 January 2023): at least 40 % of the staff with the children (in FTE, as a
yearly average) hold one of the state diplomas below; at most 60 % hold another listed
qualification (CAP AEPE…). Which diplomas make a staff member count in the ratio is the venue's
setting (COCOON_RATIO_DIPLOMAS, default: all listed here).
"""

STATE_DIPLOMAS = {
    "puericultrice": "Infirmier·ère puériculteur·rice",
    "eje": "Éducateur·rice de jeunes enfants",
    "auxiliaire_puericulture": "Auxiliaire de puériculture",
    "infirmier": "Infirmier·ère",
    "psychomotricien": "Psychomotricien·ne",
}
OTHER_QUALIFICATIONS = {
    "cap_aepe": "CAP Accompagnant éducatif petite enfance",
    "assistant_maternel": "Assistant·e maternel·le agréé·e (5 ans d'expérience)",
    "bac_pro_assp": "Bac pro ASSP",
    "deaes": "Accompagnant·e éducatif et social",
}
DIPLOMAS = {**STATE_DIPLOMAS, **OTHER_QUALIFICATIONS}
STATE_DIPLOMA_SHARE_MIN = 40  # percent, R2324-42


def holds_state_diploma(codes) -> bool:
    return any(code in STATE_DIPLOMAS for code in codes)


def counts_in_ratio(codes, qualifying=frozenset(DIPLOMAS)) -> bool:
    """Whether a staff member with these diplomas counts in the ratio: one of them is on the
    venue's list. Trainees and volunteers never count, whatever they hold (not staff)."""
    return any(code in qualifying for code in codes)


def state_diploma_share(staff_codes) -> int | None:
    """The share (percent, rounded down) of these staff members who hold a state diploma; None
    when there is nobody. The rule is a yearly FTE average: a day's share is a signal, not a
    breach."""
    staff_codes = list(staff_codes)
    if not staff_codes:
        return None
    return 100 * sum(1 for codes in staff_codes if holds_state_diploma(codes)) // len(staff_codes)
