"""The family file kept by staff: search, corrections of the figures and of a child's walking,
the history (entrypoints, store, presenters)."""
