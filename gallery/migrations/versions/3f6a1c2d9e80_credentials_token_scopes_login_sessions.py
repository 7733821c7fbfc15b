"""credentials: API token scopes, login sessions

Revision ID: 3f6a1c2d9e80
Revises: 5e2a9c4d7b13
Create Date: 2026-11-30 12:00:00

"""
from alembic import op
import sqlalchemy as sa
import gallery.core.types


revision = '3f6a1c2d9e80'
down_revision = '5e2a9c4d7b13'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        # Tokens issued before scopes existed keep what they could do, except managing the account.
        batch_op.add_column(sa.Column('scopes', sa.String(length=100), server_default='read write', nullable=False))
    op.create_table(
        'login_sessions',
        sa.Column('id', sa.String(length=26), nullable=False),
        sa.Column('photographer_id', sa.String(length=26), nullable=False),
        sa.Column('created_at', gallery.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', gallery.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('user_agent', sa.String(length=200), nullable=True),
        sa.Column('revoked_at', gallery.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['photographer_id'], ['photographers.id'],
                                name=op.f('fk_login_sessions_photographer_id_photographers'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_photographer_id'), ['photographer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_photographer_id'))
    op.drop_table('login_sessions')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('scopes')
