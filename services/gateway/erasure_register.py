"""Erasures done after a backup, done again once that backup is restored (docs/operations.md,
"Erasures done after the backup"; docs/privacy.md, "Backups").

A restore brings back the data of people erased since the backup was made. `cocoon restore`
reads the register's rows later than the backup before it replaces the gateway's database, then
hands each to `reapply(row)` (shared/operator/backup.py `reapply_erasures`), with the venue
stopped: the register row goes back into the restored database as an erasure not yet complete,
and the account is anonymised there at once (nobody can sign in with it when the venue opens).

The services' own copies are erased by the same path as the first time, the team service's
`request_erasure` (team.account_erasure_requested, then each service's handler), which needs
the venue running: `cocoon erasures resume` (`resume_pending`) asks it again for every erasure
of the register not yet complete. Asking twice is harmless: team keys the erasure by its id.
"""

import json
import logging
from datetime import datetime
from types import SimpleNamespace

from services.gateway import erasures
from services.gateway.models import Account, ErasureRecord, database
from shared import db
from shared.db import write_transaction

log = logging.getLogger(__name__)

# The register's columns a row read from the database before the restore brings back.
COLUMNS = ("id", "account_id", "role", "subject_id", "subjects", "requested_by", "created_at")


def reapply(row):
    """Put one erasure of the register (a row as read before the restore) back into the restored
    gateway database, not complete, and anonymise its account there."""
    db.bind(database, "gateway")  # the restored database, where the configuration points
    with database.connection_context():
        record = _restored_record(row)
        account = Account.get_or_none(Account.id == record.account_id)
        if account is not None:
            by = SimpleNamespace(id=record.requested_by, role="staff")
            erasures._anonymise(account, record, by)
    log.info("erasure applied again after a restore", extra={"erasure_id": record.id, "account_id": record.account_id})


def _restored_record(row):
    """The register's row in the restored database: the one there (the backup was made after the
    erasure was asked, but before it completed) or the row given, created again with its id and date."""
    existing = ErasureRecord.get_or_none(ErasureRecord.account_id == row["account_id"])
    with write_transaction(database):
        if existing is not None:
            ErasureRecord.update(completed_at=None).where(ErasureRecord.id == existing.id).execute()
            return ErasureRecord.get_by_id(existing.id)
        values = {column: row.get(column) for column in COLUMNS}
        if isinstance(values["created_at"], str):
            values["created_at"] = datetime.fromisoformat(values["created_at"])
        if isinstance(values["subjects"], str):  # the register's JSON column, read raw before the restore
            values["subjects"] = json.loads(values["subjects"])
        return ErasureRecord.create(**{k: v for k, v in values.items() if v is not None}, completed_at=None)


def pending():
    """The register's erasures not yet seen complete, oldest first."""
    return list(ErasureRecord.select().where(ErasureRecord.completed_at.is_null()).order_by(ErasureRecord.created_at))


def resume_pending(rpc):
    """Ask the team service again for every erasure not yet complete (`rpc`: a proxy with `team`);
    returns [(erasure id, account id, status)]. The venue must be running."""
    asked = []
    for record in pending():
        status = rpc.team.request_erasure(record.id, erasures._recorded_ids(record))
        asked.append((record.id, record.account_id, (status or {}).get("status", "pending")))
    return asked
