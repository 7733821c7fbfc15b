"""client page: gallery keep_location, price sheet payment instructions, comment replies

Revision ID: 5e2a9c4d7b13
Revises: ec599c1572d9
Create Date: 2026-11-30 11:30:00

"""
from alembic import op
import sqlalchemy as sa
import gallery.core.types


revision = '5e2a9c4d7b13'
down_revision = 'ec599c1572d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('galleries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keep_location', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('price_sheets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_instructions', sa.String(length=2000), nullable=True))
    op.create_table(
        'comment_replies',
        sa.Column('id', sa.String(length=26), nullable=False),
        sa.Column('comment_id', sa.String(length=26), nullable=False),
        sa.Column('photographer_id', sa.String(length=26), nullable=False),
        sa.Column('body', sa.String(length=2000), nullable=False),
        sa.Column('created_at', gallery.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', gallery.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_replies_comment_id_comments'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['photographer_id'], ['photographers.id'],
                                name=op.f('fk_comment_replies_photographer_id_photographers'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_replies')),
    )
    with op.batch_alter_table('comment_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_replies_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_replies_photographer_id'), ['photographer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('comment_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_replies_photographer_id'))
        batch_op.drop_index(batch_op.f('ix_comment_replies_comment_id'))
    op.drop_table('comment_replies')
    with op.batch_alter_table('price_sheets', schema=None) as batch_op:
        batch_op.drop_column('payment_instructions')
    with op.batch_alter_table('galleries', schema=None) as batch_op:
        batch_op.drop_column('keep_location')
