"""The volunteers service's answers, each through its Out schema (schemas.py): no dict is built
or patched by hand."""

from services.volunteers.schemas import OpportunityOut, VolunteerOut


def volunteer(row):
    return VolunteerOut().dump(row)


def ranked_opportunities(ranked):
    """`ranked`: domain.matching.Ranked, best match first."""
    return OpportunityOut(many=True).dump(ranked)
