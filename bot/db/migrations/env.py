"""Alembic environment: migrates the database named by the config (DATABASE_URL by default)."""

from alembic import context

from bot.db.engine import get_engine
from bot.db.models import Base

config = context.config


def run_migrations() -> None:
    engine = get_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `hrbot db upgrade`")
run_migrations()
