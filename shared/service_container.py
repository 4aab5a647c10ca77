"""nameko's service container, whose threads name their service in the log lines.

One process may run several services (shared/run_services.py): a log line says which one wrote it
(shared/logs.py's CorrelationFilter), whether a worker, a thread an extension spawned (a consumer
handing over a message, the outbox relay) or the container starting and stopping. `python -m
shared.run_service` makes every container of this class (nameko's SERVICE_CONTAINER_CLS); import
it once eventlet has patched the process, as nameko's own modules.
"""

import functools

from nameko.containers import ServiceContainer

from shared import logs


def in_service(name, fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        logs.set_service(name)
        return fn(*args, **kwargs)

    return run


class Container(ServiceContainer):
    def start(self):
        logs.set_service(self.service_name)
        return super().start()

    def stop(self):
        logs.set_service(self.service_name)
        return super().stop()

    def spawn_managed_thread(self, fn, identifier=None):
        return super().spawn_managed_thread(in_service(self.service_name, fn), identifier)

    def _run_worker(self, worker_ctx, handle_result):  # nameko's worker, in its own greenthread
        logs.set_service(self.service_name)
        return super()._run_worker(worker_ctx, handle_result)
