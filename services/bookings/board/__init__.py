"""The read-only views: the staff's board and a person's calendar feed (entrypoints, store,
presenters)."""
