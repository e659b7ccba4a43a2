"""treatment directories (SAMHSA) and their sites, for the locator

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'directories',
        sa.Column('key', sa.String(length=60), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('publisher', sa.String(length=200), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('as_of', sa.String(length=7), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_table(
        'directory_sites',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('directory', sa.String(length=60), nullable=False),
        sa.Column('service', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=True),
        sa.Column('city', sa.String(length=100), nullable=True),
        sa.Column('state', sa.String(length=2), nullable=False),
        sa.Column('zip', sa.String(length=5), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=True),
        sa.Column('latitude', sa.Float(), nullable=False),
        sa.Column('longitude', sa.Float(), nullable=False),
        sa.Column('placed_by_zip', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['directory'], ['directories.key'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['state'], ['jurisdictions.code']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_directory_sites_service_lat', 'directory_sites', ['service', 'latitude'])
    op.create_index('ix_directory_sites_directory', 'directory_sites', ['directory'])


def downgrade() -> None:
    op.drop_index('ix_directory_sites_directory', table_name='directory_sites')
    op.drop_index('ix_directory_sites_service_lat', table_name='directory_sites')
    op.drop_table('directory_sites')
    op.drop_table('directories')
