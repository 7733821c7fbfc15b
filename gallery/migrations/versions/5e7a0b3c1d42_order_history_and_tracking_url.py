"""order history (order_events) and the parcel's tracking URL

Revision ID: 5e7a0b3c1d42
Revises: a17e0b5c3d21
Create Date: 2026-11-30 15:10:00

"""
from alembic import op
import sqlalchemy as sa
import gallery.core.types

# revision identifiers, used by Alembic.
revision = '5e7a0b3c1d42'
down_revision = 'a17e0b5c3d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('order_events',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('order_id', sa.String(length=26), nullable=False),
    sa.Column('at', gallery.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=True),
    sa.Column('actor', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_events_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events'))
    )
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_events_order_id'), ['order_id'], unique=False)
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracking_url', sa.String(length=2000), nullable=True))


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('tracking_url')
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_events_order_id'))
    op.drop_table('order_events')
