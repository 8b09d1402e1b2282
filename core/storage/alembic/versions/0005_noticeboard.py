"""Community life: the noticeboard (posts, comments, thanks), private messages and
blocks, flags, notifications, and what profiles need for them (charter, suspension, last
visit, contact).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = sa.String(32)
# Shown on tenants' pages: reused pages must know when they change (migration 0002).
WATCHED = (
    "posts",
    "post_comments",
    "post_reactions",
    "notifications",
    "conversations",
    "conversation_members",
    "messages",
)
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("charter_accepted_at", sa.DateTime()))
        batch.add_column(sa.Column("suspended_until", sa.DateTime()))
        batch.add_column(sa.Column("suspension_reason", sa.Text()))
        batch.add_column(sa.Column("last_seen_at", sa.DateTime()))
        batch.add_column(sa.Column("contact", sa.String(200)))
    op.create_table(
        "posts",
        sa.Column("id", ID, primary_key=True),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column(
            "residence_id",
            ID,
            sa.ForeignKey("residences.id", name="fk_posts_residence_id_residences"),
            nullable=False,
        ),
        sa.Column("building_id", ID, nullable=False),
        sa.Column("building_name", sa.String(120), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("title", sa.String(140), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("photo_id", ID, sa.ForeignKey("photos.id", name="fk_posts_photo_id_photos")),
        sa.Column(
            "author_profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_posts_author_profile_id_profiles"),
        ),
        sa.Column("author_name", sa.String(60)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime()),
        sa.Column("hidden_by", sa.String(20)),
    )
    op.create_index("ix_posts_author_profile_id", "posts", ["author_profile_id"])
    op.create_index("ix_posts_created_at", "posts", ["created_at"])
    op.create_index("ix_posts_scope", "posts", ["scope", "residence_id", "building_id"])
    op.create_table(
        "post_comments",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "post_id",
            ID,
            sa.ForeignKey("posts.id", name="fk_post_comments_post_id_posts"),
            nullable=False,
        ),
        sa.Column(
            "author_profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_post_comments_author_profile_id_profiles"),
        ),
        sa.Column("author_name", sa.String(60)),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime()),
        sa.Column("hidden_by", sa.String(20)),
    )
    op.create_index("ix_post_comments_post_id", "post_comments", ["post_id"])
    op.create_index("ix_post_comments_author_profile_id", "post_comments", ["author_profile_id"])
    op.create_table(
        "post_reactions",
        sa.Column(
            "post_id",
            ID,
            sa.ForeignKey("posts.id", name="fk_post_reactions_post_id_posts"),
            primary_key=True,
        ),
        sa.Column("reactor_id", ID, primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "conversations",
        sa.Column("id", ID, primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "conversation_members",
        sa.Column(
            "conversation_id",
            ID,
            sa.ForeignKey(
                "conversations.id", name="fk_conversation_members_conversation_id_conversations"
            ),
            primary_key=True,
        ),
        sa.Column(
            "profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_conversation_members_profile_id_profiles"),
            primary_key=True,
        ),
        sa.Column("last_read_at", sa.DateTime()),
    )
    op.create_index("ix_conversation_members_profile_id", "conversation_members", ["profile_id"])
    op.create_table(
        "messages",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "conversation_id",
            ID,
            sa.ForeignKey("conversations.id", name="fk_messages_conversation_id_conversations"),
            nullable=False,
        ),
        sa.Column(
            "author_profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_messages_author_profile_id_profiles"),
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_messages_conversation_id", "messages", ["conversation_id"])
    op.create_index("ix_messages_author_profile_id", "messages", ["author_profile_id"])
    op.create_table(
        "blocks",
        sa.Column(
            "blocker_profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_blocks_blocker_profile_id_profiles"),
            primary_key=True,
        ),
        sa.Column(
            "blocked_profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_blocks_blocked_profile_id_profiles"),
            primary_key=True,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "flags",
        sa.Column("id", ID, primary_key=True),
        sa.Column("target_kind", sa.String(20), nullable=False),
        sa.Column("target_id", ID, nullable=False),
        sa.Column(
            "reporter_profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_flags_reporter_profile_id_profiles"),
            nullable=False,
        ),
        sa.Column(
            "reporter_dwelling_id",
            ID,
            sa.ForeignKey("dwellings.id", name="fk_flags_reporter_dwelling_id_dwellings"),
            nullable=False,
        ),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("settled_at", sa.DateTime()),
        sa.UniqueConstraint(
            "target_kind", "target_id", "reporter_dwelling_id", name="uq_flags_target_household"
        ),
    )
    op.create_index("ix_flags_target", "flags", ["target_kind", "target_id"])
    op.create_table(
        "notifications",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_notifications_profile_id_profiles"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("subject_id", ID),
        sa.Column("detail", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime()),
    )
    op.create_index("ix_notifications_unread", "notifications", ["profile_id", "read_at"])
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for operation in OPERATIONS:
                op.execute(
                    f"CREATE TRIGGER {table}_{operation.lower()}_bumps_content_version "
                    f"AFTER {operation} ON {table} "
                    "BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER {table}_{operation.lower()}_bumps_content_version")
    for table in (
        "notifications",
        "flags",
        "blocks",
        "messages",
        "conversation_members",
        "conversations",
        "post_reactions",
        "post_comments",
        "posts",
    ):
        op.drop_table(table)
    with op.batch_alter_table("profiles") as batch:
        for column in (
            "contact",
            "last_seen_at",
            "suspension_reason",
            "suspended_until",
            "charter_accepted_at",
        ):
            batch.drop_column(column)
