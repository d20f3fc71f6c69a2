"""Directory sync: people, departments, sites and accounts from the organisation's directory.

The sources (LDAP / Active Directory, Entra ID through Microsoft Graph) only read the
directory and yield :class:`~regie.directory.sync.entries.DirectoryEntry` values; the engine
compares them with what Régie holds and applies the differences.
"""
