"""What the gateway itself validates: credentials and account fields (profiles are validated by their service)."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.bookings.schemas import FamilyIn
from services.gateway import passwords
from services.placements.schemas import TraineeIn
from services.team.schemas import staff_roles_field
from services.volunteers.schemas import VolunteerIn
from shared.renewals import PERSON_KINDS, RenewalOut
from shared.timeutil import from_db

NAME = validate.Length(min=1, max=100)


def password_length(value):
    problem = passwords.length_problem(value)
    if problem:
        raise ValidationError(problem)


class NewPassword(Schema):
    """A new account's password, checked against the policy (services/gateway/passwords.py) with
    the person's email and names: top-level fields, or a family's first guardian."""

    @validates_schema(skip_on_field_errors=False)
    def _hard_to_guess(self, data, **kwargs):
        if "password" not in data:  # missing, or refused for its length already
            return
        person = data if "first_name" in data else (data.get("guardians") or [{}])[0]
        if not isinstance(person, dict):
            person = {}
        words = passwords.personal_words(data.get("email", ""), person.get("first_name"), person.get("last_name"))
        problem = passwords.problem(data["password"], words)
        if problem:
            raise ValidationError(problem, "password")


class TokenIn(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True)


def _roles_held(account):
    return [role for role, _ in account.role_subjects()]


def _subjects_held(account):
    return [
        {"role": role, "id": account.id if role == "staff" else subject} for role, subject in account.role_subjects()
    ]


class TokenOut(Schema):
    token = fields.String()
    role = fields.String(metadata={"description": "Le rôle principal du compte (gardé pour les clients existants)."})
    roles = fields.List(
        fields.String(),
        metadata={"description": "Tous les rôles du compte, le principal d'abord (un parent aussi stagiaire…)."},
    )
    # Stored as naive UTC, shown in the venue's zone like every time of the API.
    expires_at = fields.Function(
        lambda issued: from_db(issued["expires_at"]).isoformat(), metadata={"type": "string", "format": "date-time"}
    )


class AccountIn(NewPassword):
    """The part of every sign-up that belongs to the gateway; the rest goes to the owning service."""

    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True, validate=password_length)

    class Meta:
        unknown = "include"


class StaffIn(NewPassword):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True, validate=password_length)
    first_name = fields.String(required=True, validate=NAME)
    last_name = fields.String(required=True, validate=NAME)
    staff_roles = staff_roles_field(
        load_default=list,
        metadata={"description": "director, educator, trainer, coordinator, accounting ; aucun : l'accueil seulement"},
    )


class AccountOut(Schema):
    id = fields.String()
    email = fields.String()
    role = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    active = fields.Boolean(metadata={"description": "Faux quand l'équipe a désactivé le compte (plus de connexion)."})
    staff_roles = fields.List(fields.String(), metadata={"description": "Rôles d'un membre de l'équipe, vide sinon."})
    roles = fields.Function(
        _roles_held,
        metadata={
            "type": "array",
            "items": {"type": "string"},
            "description": "Tous les rôles du compte, le principal d'abord.",
        },
    )
    subjects = fields.Function(
        _subjects_held,
        metadata={
            "type": "array",
            "items": {"type": "object"},
            "description": "Chaque rôle du compte avec l'identifiant de la fiche de la personne (role, id).",
        },
    )


# --- sign-ups: the profile its service validates and stores, plus the password the gateway keeps.
# Documented as one body (/api/openapi.json); the gateway takes the password out before calling the
# service and sets the profile's id itself, so `id` is not the client's to give.
class FamilySignUpIn(FamilyIn):
    password = fields.String(required=True, load_only=True, validate=password_length)

    class Meta:
        exclude = ("id",)


class VolunteerSignUpIn(VolunteerIn):
    password = fields.String(required=True, load_only=True, validate=password_length)

    class Meta:
        exclude = ("id",)


class TraineeAccountIn(TraineeIn):
    password = fields.String(required=True, load_only=True, validate=password_length)

    class Meta:
        exclude = ("id",)


class RenewalsOut(Schema):
    """GET /api/v1/honorability/renewals: staff, trainees and volunteers whose attestation
    d'honorabilité is missing, expired or expires within 60 days, missing first then by expiry;
    `unavailable`: the kinds of person whose service did not answer (their lines are not listed)."""

    items = fields.List(fields.Nested(RenewalOut))
    unavailable = fields.List(fields.String(validate=validate.OneOf(PERSON_KINDS)))


# --- password reset (services/gateway/password_resets.py) ---
class PasswordResetIn(Schema):
    email = fields.Email(required=True)


class PasswordResetConfirmIn(Schema):
    token = fields.String(required=True, metadata={"description": "Le paramètre jeton du lien reçu par e-mail."})
    password = fields.String(required=True, load_only=True)


class AcceptedOut(Schema):
    message = fields.String(metadata={"description": "Ce qui a été fait, en français."})
