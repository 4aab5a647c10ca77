"""The one base model every service's tables stand on: a string UUID id and a creation time.

database = DatabaseProxy()
BaseModel = base_model(database)

class Room(BaseModel):
    name = CharField(max_length=100, unique=True)
"""

import uuid

from peewee import CharField, DateTimeField, Model

from shared.timeutil import db_now


def new_id():
    return str(uuid.uuid4())


def base_model(service_database):
    """A base class whose tables live in `service_database` (a service's DatabaseProxy)."""

    class BaseModel(Model):
        id = CharField(primary_key=True, max_length=36, default=new_id)
        created_at = DateTimeField(default=db_now)

        class Meta:
            database = service_database

    return BaseModel
