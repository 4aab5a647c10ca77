"""The records an account holds across the services, as events about one person name them.

The single-role version: an account has one role and one record (`role`, `subject_id`; staff
are known by the account's own id). The multi-role accounts (a parent also in training, a
trainee hired as staff) replace this module with one reading every role the account holds."""


def subjects(account):
    """[{"role", "id"}]: the account's role and its record's id in the service that owns it (the
    account's own id when it has no record of its own, as staff)."""
    return [{"role": account.role, "id": account.subject_id or account.id}]
