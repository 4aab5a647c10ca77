"""The education service's own tables (its domain tables come with its issue)."""
from peewee import DatabaseProxy

from shared.inbox import inbox_model
from shared.outbox import outbox_model

database = DatabaseProxy()

Outbox = outbox_model(database)
Inbox = inbox_model(database)

MODELS = [Outbox, Inbox]
