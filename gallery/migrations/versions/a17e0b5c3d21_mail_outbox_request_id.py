"""mail outbox request id: the id of the request (or job) that queued a mail, for its logs and headers

Revision ID: a17e0b5c3d21
Revises: a7c3e915b2d4
Create Date: 2026-11-30 15:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a17e0b5c3d21'
down_revision = 'a7c3e915b2d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=128), nullable=True))


def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_column('request_id')
