"""Who gets the certificates, the assiduity mention, and the evaluation of what was learned
(docs/education-rules.md).

- Funders pay the hours actually done (« seules les heures de formation qui ont été réalisées
  peuvent être financées », opcoep.fr): the certificat de réalisation, and with it the attestation
  de fin de formation (L6353-1), go to every participant with hours done, with their real hours;
  none with 0 hours.
- The venue's threshold (80 % by default, a setting) only decides the assiduity mention printed
  on them (opco-atlas.fr, digiforma.com) [practice].
- The attestation states the results of the evaluation (L6353-1): the course's evaluation method
  and, per objective, acquis / en cours d'acquisition / non acquis, as the trainer records them
  [practice for the three levels].

Works on hours (Decimals) only, whatever the attendance sheet counts them from.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")
NBSP = "\u00a0"
ACQUIRED, IN_PROGRESS, NOT_ACQUIRED = "acquis", "en_cours", "non_acquis"
RESULTS = (ACQUIRED, IN_PROGRESS, NOT_ACQUIRED)
RESULT_LABELS = {ACQUIRED: "acquis", IN_PROGRESS: "en cours d'acquisition", NOT_ACQUIRED: "non acquis"}
BULLETS = "-–—•*·"  # a line typed as a list item keeps only its words


def certifiable(hours_attended: Decimal) -> bool:
    """A certificate for every participant with hours done; 0 hours: none."""
    return hours_attended > 0


def rate(hours_attended: Decimal, session_hours: Decimal) -> Decimal:
    """The hours done over the session's hours, as a fraction rounded to the hundredth."""
    if session_hours <= 0:
        return Decimal("0.00")
    return (hours_attended / session_hours).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def assiduous(hours_attended: Decimal, session_hours: Decimal, threshold: Decimal) -> bool:
    """At or above the threshold, compared exactly (before any rounding)."""
    return session_hours > 0 and hours_attended >= session_hours * threshold


def percent(share: Decimal) -> str:
    """0.75 -> « 75 % », 0.875 -> « 87,5 % » (French writing, to the tenth at most)."""
    shown = (Decimal(share) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    text = str(shown.quantize(Decimal(1))) if shown == shown.to_integral_value() else str(shown).replace(".", ",")
    return f"{text}{NBSP}%"


def assiduity_mention(share: Decimal, is_assiduous: bool, threshold: Decimal) -> str:
    """The line printed on both documents."""
    if is_assiduous:
        return (
            f"Assiduité : {percent(share)} des heures — assidu·e (seuil de {percent(threshold)} fixé par l'organisme)"
        )
    return f"Assiduité : {percent(share)} des heures — en dessous du seuil de {percent(threshold)} fixé par l'organisme"


def objectives(text: str) -> list[str]:
    """A course's objectives, one per non-empty line (a leading bullet dropped; each once, in order)."""
    found = []
    for line in (text or "").splitlines():
        objective = line.strip().lstrip(BULLETS).strip()
        if objective and objective not in found:
            found.append(objective)
    return found


def evaluation_errors(course_objectives: list[str], results: list[dict]) -> list[str]:
    """Why the results cannot be recorded ([] when they can): one known result for each of the
    course's objectives, each once."""
    problems = []
    if not course_objectives:
        return ["Cette formation n'a pas d'objectif à évaluer : renseignez ses objectifs, un par ligne."]
    given = [r.get("objective", "").strip() for r in results]
    for objective in given:
        if objective not in course_objectives:
            problems.append(f"« {objective} » n'est pas un objectif de cette formation.")
        elif given.count(objective) > 1 and f"« {objective} » est évalué plusieurs fois." not in problems:
            problems.append(f"« {objective} » est évalué plusieurs fois.")
    for objective in course_objectives:
        if objective not in given:
            problems.append(f"Donnez un résultat pour « {objective} ».")
    for r in results:
        if r.get("result") not in RESULTS:
            problems.append("Un résultat est « acquis », « en_cours » ou « non_acquis ».")
            break
    return problems


def in_course_order(course_objectives: list[str], results: list[dict]) -> list[dict]:
    """[{objective, result}] in the order of the course's objectives (checked first)."""
    by_objective = {r["objective"].strip(): r["result"] for r in results}
    return [{"objective": o, "result": by_objective[o]} for o in course_objectives]
