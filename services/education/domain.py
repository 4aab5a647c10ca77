"""Education rules (pure functions, no I/O). They arrive with the education issue; see ../shared/domain/education.md."""
