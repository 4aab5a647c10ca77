"""The immersions' queries and locks (peewee, with models.py). Locks, parent before child: the
beneficiary, then the immersion."""

from services.placements.models import Beneficiary, BeneficiaryHonorability, Immersion
from shared.db import get_locked
from shared.errors import found
from shared.pagination import page

NO_IMMERSION = "Immersion introuvable."
NO_BENEFICIARY = "Bénéficiaire introuvable."


def immersion(immersion_id):
    query = Immersion.select(Immersion, Beneficiary).join(Beneficiary).where(Immersion.id == str(immersion_id))
    return found(query.first(), NO_IMMERSION)


def locked_immersion(immersion_id):
    return found(get_locked(Immersion.select().where(Immersion.id == str(immersion_id))), NO_IMMERSION)


def locked_beneficiary(beneficiary_id):
    return get_locked(Beneficiary.select().where(Beneficiary.id == str(beneficiary_id)))


def beneficiary_record(fields):
    """The beneficiary of `fields` (their id), created, or brought up to date (a second immersion
    of the same person): locked either way."""
    row = locked_beneficiary(fields["beneficiary_id"])
    values = {
        "email": fields["beneficiary_email"].lower(),
        "first_name": fields["first_name"],
        "last_name": fields["last_name"],
        "birth_date": fields["birth_date"],
        "person_id": fields["person_id"],
    }
    if row is None:
        return Beneficiary.create(id=fields["beneficiary_id"], **values)
    Beneficiary.update(**values).where(Beneficiary.id == row.id).execute()
    return locked_beneficiary(row.id)


def current_honorability(beneficiary_id):
    """The beneficiary's latest verified attestation, or None."""
    return (
        BeneficiaryHonorability.select()
        .where(BeneficiaryHonorability.beneficiary == str(beneficiary_id))
        .order_by(BeneficiaryHonorability.verified_on.desc(), BeneficiaryHonorability.created_at.desc())
        .first()
    )


def honorabilities_of(beneficiary_id):
    return list(
        BeneficiaryHonorability.select()
        .where(BeneficiaryHonorability.beneficiary == str(beneficiary_id))
        .order_by(BeneficiaryHonorability.verified_on, BeneficiaryHonorability.id)
    )


def immersions_page(query, beneficiary_id=None):
    select = Immersion.select(Immersion, Beneficiary).join(Beneficiary)
    if beneficiary_id is not None:
        select = select.where(Immersion.beneficiary == beneficiary_id)
    if query.get("status"):
        select = select.where(Immersion.status == query["status"])
    if query.get("tutor_id"):
        select = select.where(Immersion.tutor_id == query["tutor_id"])
    return page(select, [Immersion.starts_on, Immersion.id], query)


def immersions_of_person(person_id):
    query = Immersion.select(Immersion, Beneficiary).join(Beneficiary).where(Immersion.person_id == str(person_id))
    return list(query.order_by(Immersion.starts_on, Immersion.id))


def beneficiaries_of_person(person_id):
    return list(Beneficiary.select().where(Beneficiary.person_id == str(person_id)))
