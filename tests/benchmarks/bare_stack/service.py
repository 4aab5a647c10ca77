"""The bare stack's nameko service: one RPC that returns a constant (no database, no schema)."""

from nameko.rpc import rpc


class NoopService:
    name = "noop"

    @rpc
    def quote(self):
        return {"fee": "1.25"}
