"""comment replies: the photographer answers a comment

Revision ID: 5c1d7e2a9b40
Revises: 711b29f808fe
Create Date: 2026-11-30 11:40:00

"""
from alembic import op
import sqlalchemy as sa
import gallery.core.types


revision = '5c1d7e2a9b40'
down_revision = '711b29f808fe'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'comment_replies',
        sa.Column('id', sa.String(length=26), nullable=False),
        sa.Column('gallery_id', sa.String(length=26), nullable=False),
        sa.Column('comment_id', sa.String(length=26), nullable=False),
        sa.Column('photographer_id', sa.String(length=26), nullable=False),
        sa.Column('body', sa.String(length=2000), nullable=False),
        sa.Column('created_at', gallery.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', gallery.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['gallery_id'], ['galleries.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['photographer_id'], ['photographers.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('comment_replies', schema=None) as batch_op:
        batch_op.create_index('ix_comment_replies_gallery', ['gallery_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_replies_comment_id'), ['comment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('comment_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_replies_comment_id'))
        batch_op.drop_index('ix_comment_replies_gallery')
    op.drop_table('comment_replies')
