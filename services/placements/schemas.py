"""RPC payloads of the placements service (they arrive with its issue)."""
