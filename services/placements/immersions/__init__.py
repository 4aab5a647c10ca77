"""PMSMP immersions in the placements service (docs/placements-rules.md, "Immersions"): the
entrypoints (a mixin of PlacementsService), their queries and their answers."""
