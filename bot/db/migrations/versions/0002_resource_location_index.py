"""index resources by latitude and longitude for nearest-site lookups

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_resources_lat_lon', 'resources', ['latitude', 'longitude'])


def downgrade() -> None:
    op.drop_index('ix_resources_lat_lon', table_name='resources')
