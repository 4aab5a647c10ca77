"""Cocoon'Age services. Importing this package imports `shared` first, which silences eventlet's
and pkg_resources' known notices and sets the French validation messages."""

import shared  # noqa: F401
