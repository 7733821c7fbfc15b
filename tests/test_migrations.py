"""Migrations build exactly the schema the models describe, on both databases."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from gallery import create_app
from gallery.extensions import db
from tests.conftest import POSTGRES_URL, ensure_postgres_database, app_settings


def _fresh_database_url(backend, tmp_path):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    url = POSTGRES_URL + "_migrations"
    ensure_postgres_database(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def test_upgrade_from_empty_matches_models(database_backend, tmp_path):
    url = _fresh_database_url(database_backend, tmp_path)
    app = create_app(app_settings(database_backend, tmp_path, database_url=url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
            drift = compare_metadata(context, db.metadata)
        assert drift == [], f"models and migrations differ: {drift}"
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()
