"""`cocoon`: the operator's command (dead-letter queues, outbox backlog). See docs/operations.md."""
