"""Full-text search: an FTS5 index on SQLite, a weighted tsvector on PostgreSQL.

Both are kept in sync by triggers, so every writer (the editor, the CLI, a psql or
sqlite3 session) updates the index; both are created and back-filled here.

SQLite: `articles_fts` is an external-content FTS5 table over the view
`articles_search_source` (published articles: title, brief, Markdown body and topic
names). External content means the index must be told the exact text it indexed when a
row leaves it, so every trigger removes a row with the values it had *before* the change
and then re-adds the row from the view. Removal happens in AFTER triggers with the old
values rebuilt from OLD (so INSERT/UPDATE OR IGNORE cannot leave a row half-synced),
except for deletes, where the cascade to article_topics would hide the old topics.
`INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')` re-creates the index from the
view at any time, and `... VALUES ('integrity-check')` verifies it.

Note for later migrations: on SQLite, a batch (copy-and-move) migration of `articles`,
`topics` or `article_topics` drops these triggers, and SQLite refuses to rename a table
while the view or a trigger names a missing one: such a migration must call
`drop_sqlite_search()` first and `create_sqlite_search()` after (copy them from here).

PostgreSQL: `articles.search_vector` (title A, brief and topic names B, body C) with a
GIN index, filled by triggers on articles, article_topics and topics. The column is kept
out of the SQLAlchemy models; migrations/env.py tells autogenerate to ignore it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# --------------------------------------------------------------------------- SQLite

FTS_COLUMNS = "title, brief, body, topics"


def _topic_names(article_id: str, *, names: str = "t.name", extra: str = "") -> str:
    """The topic names of one article as a single string, in a stable order.

    The order matters: an external-content index can only remove a row when given
    exactly the text it indexed, so every trigger must rebuild the same string.
    """
    topic_ids = f"SELECT topic_id FROM article_topics WHERE article_id = {article_id}"
    return (
        "coalesce((SELECT group_concat(name, ' ') FROM ("
        f"SELECT {names} AS name FROM topics AS t WHERE (t.id IN ({topic_ids}){extra}) "
        "ORDER BY 1, t.id)), '')"
    )


def _remove_old(which: str, *, topics: str, old: str = "a") -> str:
    """Take articles out of the index, given the text they were indexed with.

    `which` selects rows of `articles AS a`; `old` names the row holding the old title,
    brief, body and status (OLD in an update trigger), `topics` their old topic names.
    """
    return (
        f"INSERT INTO articles_fts(articles_fts, rowid, {FTS_COLUMNS}) "
        f"SELECT 'delete', {old}.id, {old}.title, {old}.brief, {old}.body_md, {topics} "
        f"FROM articles AS a WHERE {which} AND {old}.status = 'published';"
    )


def _remove_current(which: str) -> str:
    return (
        f"INSERT INTO articles_fts(articles_fts, rowid, {FTS_COLUMNS}) "
        f"SELECT 'delete', id, {FTS_COLUMNS} FROM articles_search_source WHERE {which};"
    )


def _add(which: str) -> str:
    return (
        f"INSERT INTO articles_fts(rowid, {FTS_COLUMNS}) "
        f"SELECT id, {FTS_COLUMNS} FROM articles_search_source WHERE {which};"
    )


WITH_TOPIC = "id IN (SELECT article_id FROM article_topics WHERE topic_id = NEW.id)"

SQLITE_TRIGGERS = {
    # A new article has no topics yet; it enters the index once published.
    "articles_search_insert": f"""
        AFTER INSERT ON articles BEGIN
            {_add("id = NEW.id")}
        END""",
    # Edits, publish and unpublish: out with the old text, in with the new.
    "articles_search_update": f"""
        AFTER UPDATE OF id, title, brief, body_md, status ON articles BEGIN
            {_remove_old("a.id = NEW.id", old="OLD", topics=_topic_names("OLD.id"))}
            {_add("id = NEW.id")}
        END""",
    # BEFORE: by the time AFTER triggers run, the cascade has removed the topics.
    "articles_search_delete": f"""
        BEFORE DELETE ON articles BEGIN
            {_remove_current("id = OLD.id")}
        END""",
    "article_topics_search_insert": f"""
        AFTER INSERT ON article_topics BEGIN
            {_remove_old("a.id = NEW.article_id",
                         topics=_topic_names("a.id", extra=" AND t.id != NEW.topic_id"))}
            {_add("id = NEW.article_id")}
        END""",
    # In the cascade of an article's deletion its row is already gone: nothing to do.
    "article_topics_search_delete": f"""
        AFTER DELETE ON article_topics BEGIN
            {_remove_old("a.id = OLD.article_id",
                         topics=_topic_names("a.id", extra=" OR t.id = OLD.topic_id"))}
            {_add("id = OLD.article_id")}
        END""",
    # Byline never updates these rows (the ORM deletes and inserts); covered anyway.
    "article_topics_search_update": f"""
        AFTER UPDATE ON article_topics WHEN OLD.article_id = NEW.article_id BEGIN
            {_remove_old("a.id = NEW.article_id", topics=_topic_names(
                "a.id", extra=" AND t.id != NEW.topic_id OR t.id = OLD.topic_id"))}
            {_add("id = NEW.article_id")}
        END""",
    "article_topics_search_move": f"""
        AFTER UPDATE ON article_topics WHEN OLD.article_id != NEW.article_id BEGIN
            {_remove_old("a.id = OLD.article_id",
                         topics=_topic_names("a.id", extra=" OR t.id = OLD.topic_id"))}
            {_add("id = OLD.article_id")}
            {_remove_old("a.id = NEW.article_id",
                         topics=_topic_names("a.id", extra=" AND t.id != NEW.topic_id"))}
            {_add("id = NEW.article_id")}
        END""",
    "topics_search_rename": f"""
        AFTER UPDATE OF name ON topics BEGIN
            {_remove_old("a." + WITH_TOPIC, topics=_topic_names(
                "a.id", names="CASE WHEN t.id = NEW.id THEN OLD.name ELSE t.name END"))}
            {_add(WITH_TOPIC)}
        END""",
    # Unlink the topic while its name can still be read; the cascade then finds no rows.
    "topics_search_delete": """
        BEFORE DELETE ON topics BEGIN
            DELETE FROM article_topics WHERE topic_id = OLD.id;
        END""",
}


def create_sqlite_search() -> None:
    op.execute(
        "CREATE VIEW articles_search_source AS "
        "SELECT a.id AS id, a.title AS title, a.brief AS brief, a.body_md AS body, "
        f"{_topic_names('a.id')} AS topics "
        "FROM articles AS a WHERE a.status = 'published'"
    )
    # remove_diacritics 0: accents count, as with PostgreSQL's "english" configuration.
    op.execute(
        f"CREATE VIRTUAL TABLE articles_fts USING fts5({FTS_COLUMNS}, "
        "content='articles_search_source', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 0')"
    )
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def drop_sqlite_search() -> None:
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute("DROP VIEW IF EXISTS articles_search_source")


# ----------------------------------------------------------------------- PostgreSQL

POSTGRES_UPGRADE = [
    "ALTER TABLE articles ADD COLUMN search_vector tsvector",
    """
    CREATE FUNCTION articles_search_vector(
        article_id integer, title text, brief text, body text
    ) RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce(brief, '')), 'B')
            || setweight(to_tsvector('english'::regconfig, coalesce((
                SELECT string_agg(t.name, ' ' ORDER BY t.name, t.id)
                FROM article_topics AS at JOIN topics AS t ON t.id = at.topic_id
                WHERE at.article_id = articles_search_vector.article_id), '')), 'B')
            || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    $$
    """,
    """
    CREATE FUNCTION articles_search_vector_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := articles_search_vector(NEW.id, NEW.title, NEW.brief, NEW.body_md);
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_search_vector BEFORE INSERT OR UPDATE OF title, brief, body_md
    ON articles FOR EACH ROW EXECUTE FUNCTION articles_search_vector_row()
    """,
    """
    CREATE FUNCTION articles_search_vector_refresh(article_ids integer[]) RETURNS void
    LANGUAGE sql AS $$
        UPDATE articles SET search_vector = articles_search_vector(id, title, brief, body_md)
        WHERE id = ANY(article_ids)
    $$
    """,
    """
    CREATE FUNCTION article_topics_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM articles_search_vector_refresh(ARRAY[NEW.article_id]);
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM articles_search_vector_refresh(ARRAY[OLD.article_id]);
        ELSE
            PERFORM articles_search_vector_refresh(ARRAY[OLD.article_id, NEW.article_id]);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER article_topics_search_vector AFTER INSERT OR UPDATE OR DELETE
    ON article_topics FOR EACH ROW EXECUTE FUNCTION article_topics_search_vector()
    """,
    """
    CREATE FUNCTION topics_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM articles_search_vector_refresh(
            ARRAY(SELECT article_id FROM article_topics WHERE topic_id = NEW.id));
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER topics_search_vector AFTER UPDATE OF name ON topics
    FOR EACH ROW EXECUTE FUNCTION topics_search_vector()
    """,
    "UPDATE articles SET search_vector = articles_search_vector(id, title, brief, body_md)",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
]

POSTGRES_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS topics_search_vector ON topics",
    "DROP TRIGGER IF EXISTS article_topics_search_vector ON article_topics",
    "DROP TRIGGER IF EXISTS articles_search_vector ON articles",
    "DROP FUNCTION IF EXISTS topics_search_vector()",
    "DROP FUNCTION IF EXISTS article_topics_search_vector()",
    "DROP FUNCTION IF EXISTS articles_search_vector_refresh(integer[])",
    "DROP FUNCTION IF EXISTS articles_search_vector_row()",
    "DROP FUNCTION IF EXISTS articles_search_vector(integer, text, text, text)",
    "DROP INDEX IF EXISTS ix_articles_search_vector",
    "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        create_sqlite_search()
    elif dialect == "postgresql":
        for statement in POSTGRES_UPGRADE:
            op.execute(statement)
    else:
        raise NotImplementedError(f"full-text search is not written for {dialect}")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        drop_sqlite_search()
    elif dialect == "postgresql":
        for statement in POSTGRES_DOWNGRADE:
            op.execute(statement)
