"""Moving a whole site: portable export/import between engines, and backup/restore.

`portable` writes and reads the engine-neutral export archive, `backup` makes and
restores consistent copies of a running site, `schema` knows the tables and schema
revisions, `files` the checksums and the uploads folder, `engines` SQLite's backup API
and PostgreSQL's tools. `commands` adds the `export`, `import`, `backup` and `restore`
commands to `flask`. See docs/backups.md.
"""

from blog.domain import DomainError


class SiteDataError(DomainError):
    """An export, import, backup or restore was refused or failed; the message is for the
    person at the command line (one line, saying what to do)."""
