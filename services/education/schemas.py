"""RPC payloads of the education service (they arrive with its issue)."""
