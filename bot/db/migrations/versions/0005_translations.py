"""translations: the text of profiles and guides in other languages

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('profiles', 'guides'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('translations', sa.JSON(), nullable=False, server_default='{}'))


def downgrade() -> None:
    for table in ('profiles', 'guides'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('translations')
