"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 16:47:03.680309
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("jpeg", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
    )
    op.create_table(
        "publishers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publishers")),
        sa.UniqueConstraint("name", name=op.f("uq_publishers_name")),
    )
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limits")),
    )
    op.create_table(
        "residences",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("district", sa.String(length=120), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_residences")),
        sa.UniqueConstraint("name", name=op.f("uq_residences_name")),
    )
    op.create_table(
        "buildings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("residence_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("address", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["residence_id"], ["residences.id"], name=op.f("fk_buildings_residence_id_residences")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buildings")),
        sa.UniqueConstraint("name", name=op.f("uq_buildings_name")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("publisher_id", sa.String(length=32), nullable=True),
        sa.Column("locale", sa.String(length=8), server_default="fr", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["publisher_id"], ["publishers.id"], name=op.f("fk_staff_publisher_id_publishers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_username")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_staff_id", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.String(length=120), server_default="", nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_staff_id"], ["staff.id"], name=op.f("fk_audit_log_actor_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "dwellings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("building_id", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("staircase", sa.String(length=20), server_default="", nullable=False),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"], ["buildings.id"], name=op.f("fk_dwellings_building_id_buildings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dwellings")),
        sa.UniqueConstraint("reference", name=op.f("uq_dwellings_reference")),
    )
    with op.batch_alter_table("dwellings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dwellings_building_id"), ["building_id"], unique=False)

    op.create_table(
        "news",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("publisher_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=140), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("photo_id", sa.String(length=32), nullable=True),
        sa.Column("scope_kind", sa.String(length=20), nullable=False),
        sa.Column("scope_ref", sa.String(length=120), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("author_staff_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_staff_id"], ["staff.id"], name=op.f("fk_news_author_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(["photo_id"], ["photos.id"], name=op.f("fk_news_photo_id_photos")),
        sa.ForeignKeyConstraint(
            ["publisher_id"], ["publishers.id"], name=op.f("fk_news_publisher_id_publishers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news")),
    )
    with op.batch_alter_table("news", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_news_published_at"), ["published_at"], unique=False)

    op.create_table(
        "staff_buildings",
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("building_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"], ["buildings.id"], name=op.f("fk_staff_buildings_building_id_buildings")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_buildings_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("staff_id", "building_id", name=op.f("pk_staff_buildings")),
    )
    op.create_table(
        "works_notices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("building_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=140), nullable=False),
        sa.Column("location", sa.String(length=140), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("tenant_action", sa.Text(), server_default="", nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("author_staff_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_staff_id"], ["staff.id"], name=op.f("fk_works_notices_author_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["building_id"], ["buildings.id"], name=op.f("fk_works_notices_building_id_buildings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_works_notices")),
    )
    with op.batch_alter_table("works_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_works_notices_building_id"), ["building_id"], unique=False
        )

    op.create_table(
        "access_codes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("dwelling_id", sa.String(length=32), nullable=False),
        sa.Column("lookup", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dwelling_id"], ["dwellings.id"], name=op.f("fk_access_codes_dwelling_id_dwellings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_codes")),
        sa.UniqueConstraint("lookup", name=op.f("uq_access_codes_lookup")),
    )
    with op.batch_alter_table("access_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_access_codes_dwelling_id"), ["dwelling_id"], unique=False
        )

    op.create_table(
        "profiles",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("dwelling_id", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("text_size", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dwelling_id"], ["dwellings.id"], name=op.f("fk_profiles_dwelling_id_dwellings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profiles")),
    )
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profiles_dwelling_id"), ["dwelling_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.String(length=32), nullable=False),
        sa.Column("dwelling_id", sa.String(length=32), nullable=False),
        sa.Column("author_profile_id", sa.String(length=32), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("location", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("scheduled_for", sa.Date(), nullable=True),
        sa.Column("duplicate_of", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_profile_id"],
            ["profiles.id"],
            name=op.f("fk_reports_author_profile_id_profiles"),
        ),
        sa.ForeignKeyConstraint(
            ["building_id"], ["buildings.id"], name=op.f("fk_reports_building_id_buildings")
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["reports.id"], name=op.f("fk_reports_duplicate_of_reports")
        ),
        sa.ForeignKeyConstraint(
            ["dwelling_id"], ["dwellings.id"], name=op.f("fk_reports_dwelling_id_dwellings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("number", name=op.f("uq_reports_number")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_building_status", ["building_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_dwelling_id"), ["dwelling_id"], unique=False)

    op.create_table(
        "report_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("scheduled_for", sa.Date(), nullable=True),
        sa.Column("duplicate_of", sa.String(length=32), nullable=True),
        sa.Column("actor_staff_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_staff_id"], ["staff.id"], name=op.f("fk_report_events_actor_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["reports.id"], name=op.f("fk_report_events_duplicate_of_reports")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_events_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_events")),
    )
    with op.batch_alter_table("report_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_events_report_id"), ["report_id"], unique=False)

    op.create_table(
        "report_messages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("author_kind", sa.String(length=10), nullable=False),
        sa.Column("author_profile_id", sa.String(length=32), nullable=True),
        sa.Column("author_staff_id", sa.String(length=32), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_profile_id"],
            ["profiles.id"],
            name=op.f("fk_report_messages_author_profile_id_profiles"),
        ),
        sa.ForeignKeyConstraint(
            ["author_staff_id"], ["staff.id"], name=op.f("fk_report_messages_author_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_messages_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_messages")),
    )
    with op.batch_alter_table("report_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_messages_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "report_photos",
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("photo_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["photo_id"], ["photos.id"], name=op.f("fk_report_photos_photo_id_photos")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_photos_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("report_id", "photo_id", name=op.f("pk_report_photos")),
    )
    op.create_table(
        "report_supporters",
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("dwelling_id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dwelling_id"],
            ["dwellings.id"],
            name=op.f("fk_report_supporters_dwelling_id_dwellings"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_report_supporters_profile_id_profiles")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_supporters_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("report_id", "dwelling_id", name=op.f("pk_report_supporters")),
    )


def downgrade() -> None:
    op.drop_table("report_supporters")
    op.drop_table("report_photos")
    with op.batch_alter_table("report_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_messages_report_id"))

    op.drop_table("report_messages")
    with op.batch_alter_table("report_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_events_report_id"))

    op.drop_table("report_events")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_dwelling_id"))
        batch_op.drop_index("ix_reports_building_status")

    op.drop_table("reports")
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profiles_dwelling_id"))

    op.drop_table("profiles")
    with op.batch_alter_table("access_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_codes_dwelling_id"))

    op.drop_table("access_codes")
    with op.batch_alter_table("works_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_works_notices_building_id"))

    op.drop_table("works_notices")
    op.drop_table("staff_buildings")
    with op.batch_alter_table("news", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_news_published_at"))

    op.drop_table("news")
    with op.batch_alter_table("dwellings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dwellings_building_id"))

    op.drop_table("dwellings")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    op.drop_table("staff")
    op.drop_table("buildings")
    op.drop_table("residences")
    op.drop_table("rate_limits")
    op.drop_table("publishers")
    op.drop_table("photos")
