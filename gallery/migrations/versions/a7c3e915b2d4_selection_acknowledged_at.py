"""selections: acknowledged_at (the photographer marked a submitted selection handled)

Revision ID: a7c3e915b2d4
Revises: de001310ddd7
Create Date: 2026-11-30 15:05:00.000000

"""
from alembic import op
import sqlalchemy as sa
import gallery.core.types

# revision identifiers, used by Alembic.
revision = 'a7c3e915b2d4'
down_revision = 'de001310ddd7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('selections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledged_at', gallery.core.types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('selections', schema=None) as batch_op:
        batch_op.drop_column('acknowledged_at')
