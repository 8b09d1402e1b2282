"""The one data layer: SQLAlchemy Core tables, engines and Alembic migrations."""
