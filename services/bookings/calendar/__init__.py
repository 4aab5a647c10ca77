"""The venue calendar: rooms, activities with their trainees and counted volunteers, and the
rooms held for the education service's sessions (entrypoints, store, presenters)."""
