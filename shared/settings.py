"""How a service holds its own settings: read and checked once, when the container starts.

    # services/<name>/settings.py
    def load():                      # reads the environment, raises ValueError naming the variable
        return PlacementsSettings(...)

    class Settings(ServiceSettings):
        load = staticmethod(load)

A wrong value stops the start with a clear message instead of failing every call later. The
spine's own settings (outbox, retries, pool) are read the same way by shared/spine_settings.py.
"""

from nameko.extensions import DependencyProvider


class ServiceSettings(DependencyProvider):
    """A dependency provider handing every worker the settings `load()` returned at start."""

    load = None  # the service's loader, set by each service's Settings subclass

    def setup(self):
        self.value = type(self).load()

    def get_dependency(self, worker_ctx):
        return self.value
