"""sms_senders: opt-outs, MORE pages and numbered options per hashed SMS sender

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sms_senders',
        sa.Column('sender', sa.String(length=64), nullable=False),
        sa.Column('opted_out', sa.Boolean(), nullable=False),
        sa.Column('pages', sa.JSON(), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('sender'),
    )
    op.create_index('ix_sms_senders_updated_at', 'sms_senders', ['updated_at'])


def downgrade() -> None:
    op.drop_index('ix_sms_senders_updated_at', table_name='sms_senders')
    op.drop_table('sms_senders')
