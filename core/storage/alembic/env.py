"""Alembic environment: migrations run on the engine handed over by migrations.upgrade."""

from alembic import context

from core.storage.schema import metadata

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table.
        render_as_batch=True,
    )
    context.run_migrations()
