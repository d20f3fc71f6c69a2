"""The one error of backup and restore: a sentence for the administrator, nothing changed."""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""
