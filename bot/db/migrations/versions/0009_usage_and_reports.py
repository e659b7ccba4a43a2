"""private usage counters, reports of wrong answers, and the last answer an SMS sender got

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'usage_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('measure', sa.String(length=16), nullable=False),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('topic', sa.String(length=32), nullable=False),
        sa.Column('facet', sa.String(length=64), nullable=False),
        sa.Column('state', sa.String(length=2), nullable=False),
        sa.Column('intent', sa.String(length=64), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('day', 'measure', 'channel', 'language', 'topic', 'facet', 'state', 'intent'),
    )
    op.create_index('ix_usage_counts_day', 'usage_counts', ['day'])
    op.create_table(
        'user_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('topic', sa.String(length=32), nullable=False),
        sa.Column('facet', sa.String(length=64), nullable=False),
        sa.Column('state', sa.String(length=2), nullable=False),
        sa.Column('record', sa.String(length=200), nullable=True),
        sa.Column('answer_text', sa.Text(), nullable=False),
        sa.Column('report_text', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('resolved_by', sa.String(length=40), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolution_note', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_user_reports_status', 'user_reports', ['status'])
    with op.batch_alter_table('sms_senders') as batch:
        batch.add_column(sa.Column('last_answer', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sms_senders') as batch:
        batch.drop_column('last_answer')
    op.drop_index('ix_user_reports_status', table_name='user_reports')
    op.drop_table('user_reports')
    op.drop_index('ix_usage_counts_day', table_name='usage_counts')
    op.drop_table('usage_counts')
