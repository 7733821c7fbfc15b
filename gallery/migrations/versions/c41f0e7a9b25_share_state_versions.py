"""share state versions: galleries.state_version and visitors.state_version key cached share responses

Revision ID: c41f0e7a9b25
Revises: 711b29f808fe
Create Date: 2026-11-30 11:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41f0e7a9b25'
down_revision = '711b29f808fe'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('galleries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('visitors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('visitors', schema=None) as batch_op:
        batch_op.drop_column('state_version')
    with op.batch_alter_table('galleries', schema=None) as batch_op:
        batch_op.drop_column('state_version')
