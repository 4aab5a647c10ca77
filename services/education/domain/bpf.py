"""The bilan pédagogique et financier (BPF) a training organisation files every year (Code du
travail L6352-11; without it, its déclaration d'activité lapses): how many trainees, how many
hours-trainees, how much income, grouped the way the cerfa n° 10443 groups them
(docs/education-rules.md, "The BPF").

Pure aggregation: the service hands in one `Trainee` per participant of the year's sessions, with
the hours done (from the attendance sheet, as the certificates count them) and the income their
training brought (their line of an issued funder's invoice, or the course's price for a
self-funded learner).

- A year's figures come from the sessions that **ended** that year (their last part, in the
  venue's zone) [practice].
- A trainee is a participant with hours done above 0, counted once per session (a person who
  followed two sessions counts twice) [unconfirmed: the cerfa's notice may count a person once].
- Hours-trainees: the sum of the hours done, equal to the sum of the certificats de réalisation.
- Income: the issued funders' invoices of those sessions, plus each self-funded learner's price
  (the course's price for a confirmed self-funded enrolment with hours done; their payments once
  they are recorded) [practice]; a funder's session not invoiced yet brings nothing (it is listed,
  to invoice before filing).

The cerfa's lines, and how our funding kinds and participant kinds map to them:

Cadre C, "origine des produits" (income):
- employer       -> line 1  «entreprises pour la formation de leurs salariés»
- opco           -> line 2h «organismes gestionnaires des fonds de la formation professionnelle :
                    plan de développement des compétences ou autres dispositifs» [unconfirmed:
                    an apprenticeship or a contrat de professionnalisation would be 2a/2b]
- cpf            -> line 2e «… : compte personnel de formation» [unconfirmed]
- france_travail -> line 7  «Pôle emploi» (France Travail since 2024) [unconfirmed]
- self_funded    -> line 9  «contrats conclus avec des personnes à titre individuel et à leurs frais»

Cadre F-1, "type de stagiaires" (trainees and hours), from the funding first, then the kind:
- self_funded                     -> d «particuliers à leurs propres frais»
- france_travail                  -> c «personnes en recherche d'emploi»
- employer, opco                  -> a «salariés d'employeurs privés hors apprentis» [unconfirmed:
                                     a public employer's agent is an «autre stagiaire»]
- cpf: a professional             -> a [unconfirmed]; anyone else -> e
- anything else (a placements trainee, a volunteer, an external person not employed)
                                  -> e «autres stagiaires» [unconfirmed]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from services.education.domain.enrolment import FUNDING, PARTICIPANT_KINDS

ZERO = Decimal("0.00")
SELF_FUNDED = "self_funded"

# (code, label) of cadre C's lines, in the cerfa's order, and which funding kind goes to each.
INCOME_LINES = (
    ("1", "Entreprises pour la formation de leurs salariés"),
    ("2e", "Organismes gestionnaires des fonds de la formation professionnelle : compte personnel de formation"),
    (
        "2h",
        "Organismes gestionnaires des fonds de la formation professionnelle : plan de développement des "
        "compétences ou autres dispositifs",
    ),
    ("7", "Pôle emploi (France Travail)"),
    ("9", "Contrats conclus avec des personnes à titre individuel et à leurs frais"),
)
INCOME_LINE_OF_FUNDING = {"employer": "1", "opco": "2h", "cpf": "2e", "france_travail": "7", "self_funded": "9"}

# (code, label) of cadre F-1's lines, in the cerfa's order.
TRAINEE_LINES = (
    ("a", "Salariés d'employeurs privés hors apprentis"),
    ("b", "Apprentis"),
    ("c", "Personnes en recherche d'emploi"),
    ("d", "Particuliers à leurs propres frais"),
    ("e", "Autres stagiaires"),
)


def trainee_line(funding: str, participant_kind: str) -> str:
    """Cadre F-1's line of a trainee (see the module's table)."""
    if funding == SELF_FUNDED:
        return "d"
    if funding == "france_travail":
        return "c"
    if funding in ("employer", "opco"):
        return "a"
    if funding == "cpf" and participant_kind == "professional":
        return "a"
    return "e"


@dataclass(frozen=True)
class Trainee:
    """One participant of one session that ended in the year."""

    session_id: str
    participant_id: str
    participant_kind: str
    funding: str
    hours: Decimal  # done, from the attendance sheet
    income: Decimal  # their line of an issued funder's invoice, or their own price (self-funded)
    invoiced: bool = True  # False: a funder's participant whose session's invoices are not issued yet


@dataclass
class Figures:
    trainees: int = 0
    hours: Decimal = ZERO
    income: Decimal = ZERO

    def add(self, trainee: Trainee) -> None:
        self.trainees += 1
        self.hours += trainee.hours
        self.income += trainee.income


@dataclass
class Report:
    year: int
    total: Figures = field(default_factory=Figures)
    by_funding: dict[str, Figures] = field(default_factory=dict)  # every FUNDING kind, in its order
    by_kind: dict[str, Figures] = field(default_factory=dict)  # every PARTICIPANT_KINDS, in its order
    income_lines: dict[str, Figures] = field(default_factory=dict)  # cadre C, by code
    trainee_lines: dict[str, Figures] = field(default_factory=dict)  # cadre F-1, by code
    sessions_not_invoiced: list[str] = field(default_factory=list)  # session ids, in order met


def self_funded_income(funding: str, hours: Decimal, price: Decimal) -> Decimal:
    """A self-funded learner's income: the course's price once they did some hours, else nothing."""
    return Decimal(price) if funding == SELF_FUNDED and hours > 0 else ZERO


def counts(trainee: Trainee) -> bool:
    """A trainee of the BPF: some hours done."""
    return trainee.hours > 0


def report(year: int, trainees: list[Trainee]) -> Report:
    """The year's figures: every grouping adds up to the same total."""
    result = Report(
        year=year,
        by_funding={kind: Figures() for kind in FUNDING},
        by_kind={kind: Figures() for kind in PARTICIPANT_KINDS},
        income_lines={code: Figures() for code, _ in INCOME_LINES},
        trainee_lines={code: Figures() for code, _ in TRAINEE_LINES},
    )
    for trainee in trainees:
        if not counts(trainee):
            continue
        result.total.add(trainee)
        result.by_funding.setdefault(trainee.funding, Figures()).add(trainee)
        result.by_kind.setdefault(trainee.participant_kind, Figures()).add(trainee)
        result.income_lines.setdefault(INCOME_LINE_OF_FUNDING.get(trainee.funding, "?"), Figures()).add(trainee)
        result.trainee_lines[trainee_line(trainee.funding, trainee.participant_kind)].add(trainee)
        if not trainee.invoiced and trainee.session_id not in result.sessions_not_invoiced:
            result.sessions_not_invoiced.append(trainee.session_id)
    return result
