"""Moving in from WordPress and Ghost: the items an importer brought, and the old
addresses that lead to them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('imported_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_items')),
    sa.UniqueConstraint('source', 'kind', 'source_id', name=op.f('uq_imported_items_source_kind_source_id'))
    )
    op.create_table('old_urls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('page_id', sa.Integer(), nullable=True),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_old_urls_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['page_id'], ['pages.id'], name=op.f('fk_old_urls_page_id_pages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_old_urls_section_id_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_old_urls_topic_id_topics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_old_urls_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_old_urls')),
    sa.UniqueConstraint('path', name=op.f('uq_old_urls_path'))
    )
    with op.batch_alter_table('old_urls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_old_urls_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_old_urls_page_id'), ['page_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_old_urls_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_old_urls_topic_id'), ['topic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_old_urls_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('old_urls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_old_urls_user_id'))
        batch_op.drop_index(batch_op.f('ix_old_urls_topic_id'))
        batch_op.drop_index(batch_op.f('ix_old_urls_section_id'))
        batch_op.drop_index(batch_op.f('ix_old_urls_page_id'))
        batch_op.drop_index(batch_op.f('ix_old_urls_article_id'))

    op.drop_table('old_urls')
    op.drop_table('imported_items')