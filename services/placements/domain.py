"""Placements rules (pure functions, no I/O). They arrive with the placements issue; see ../shared/domain/placements.md."""
