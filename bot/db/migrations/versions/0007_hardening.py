"""sign-in attempts per client; SMS message ids already handled (replay protection)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('login_attempts') as batch:
        batch.add_column(sa.Column('client', sa.String(length=64), nullable=False, server_default=''))
    op.create_index('ix_login_attempts_client_at', 'login_attempts', ['client', 'at'])
    op.create_table(
        'sms_messages_seen',
        sa.Column('message_sid', sa.String(length=64), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('message_sid'),
    )
    op.create_index('ix_sms_messages_seen_seen_at', 'sms_messages_seen', ['seen_at'])


def downgrade() -> None:
    op.drop_index('ix_sms_messages_seen_seen_at', table_name='sms_messages_seen')
    op.drop_table('sms_messages_seen')
    op.drop_index('ix_login_attempts_client_at', table_name='login_attempts')
    with op.batch_alter_table('login_attempts') as batch:
        batch.drop_column('client')
