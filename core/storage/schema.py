"""Tables of boxes and of the hub, described once for SQLite on a box and PostgreSQL at
the hub.

Rows that will travel to the hub use text UUIDs as keys so that ids made on different
boxes never collide; purely local bookkeeping uses integers.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(32)

residences = Table(
    "residences",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("district", String(120), nullable=False),
    Column("city", String(120), nullable=False),
)

buildings = Table(
    "buildings",
    metadata,
    Column("id", ID, primary_key=True),
    Column("residence_id", ID, ForeignKey("residences.id"), nullable=False),
    Column("name", String(120), nullable=False, unique=True),
    Column("address", String(200), nullable=False, server_default=""),
    # The first part of its reports' references ("BA-12"): core/domain/building_codes.py.
    # Every building has one; the column was added to existing tables (migration 0014).
    Column("code", String(8)),
    Index("ix_buildings_code", "code", unique=True),
)

dwellings = Table(
    "dwellings",
    metadata,
    Column("id", ID, primary_key=True),
    Column("building_id", ID, ForeignKey("buildings.id"), nullable=False, index=True),
    # Unique per building: the hub holds the dwellings of many boxes.
    Column("reference", String(40), nullable=False),
    Column("staircase", String(20), nullable=False, server_default=""),
    Column("floor", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("building_id", "reference", name="uq_dwellings_building_reference"),
)

access_codes = Table(
    "access_codes",
    metadata,
    Column("id", ID, primary_key=True),
    Column("dwelling_id", ID, ForeignKey("dwellings.id"), nullable=False, index=True),
    # Keyed hash of the normalised code; the code itself is never stored.
    Column("lookup", String(64), nullable=False, unique=True),
    Column("issued_at", DateTime, nullable=False),
    Column("activated_at", DateTime),
    Column("revoked_at", DateTime),
)

profiles = Table(
    "profiles",
    metadata,
    Column("id", ID, primary_key=True),
    Column("dwelling_id", ID, ForeignKey("dwellings.id"), nullable=False, index=True),
    Column("display_name", String(60), nullable=False),
    Column("locale", String(8), nullable=False),
    Column("pin_hash", String(200), nullable=False),
    Column("text_size", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime, nullable=False),
    # Set when the household moves out: the profile can no longer sign in.
    Column("left_at", DateTime),
    # Community life: the charter accepted before a first post; a caretaker's suspension;
    # the last visit, which tells a profile left unused; what its owner chose to show.
    Column("charter_accepted_at", DateTime),
    Column("suspended_until", DateTime),
    Column("suspension_reason", Text),
    Column("last_seen_at", DateTime),
    Column("contact", String(200)),
    # Personal data: when the owner was warned that an unused profile will be anonymised,
    # and when it was (by its owner's choice or for being unused); the row stays, nameless,
    # for what hangs on it.
    Column("inactive_warned_at", DateTime),
    Column("erased_at", DateTime),
    # Video calls: neighbours may call this person only when they said so.
    Column("accepts_calls", Boolean, nullable=False, server_default="0"),
)

staff = Table(
    "staff",
    metadata,
    Column("id", ID, primary_key=True),
    Column("username", String(60), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("publisher_id", ID, ForeignKey("publishers.id")),
    Column("locale", String(8), nullable=False, server_default="fr"),
    Column("created_at", DateTime, nullable=False),
    Column("disabled_at", DateTime),
)

staff_buildings = Table(
    "staff_buildings",
    metadata,
    Column("staff_id", ID, ForeignKey("staff.id"), primary_key=True),
    Column("building_id", ID, ForeignKey("buildings.id"), primary_key=True),
)

publishers = Table(
    "publishers",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
)

photos = Table(
    "photos",
    metadata,
    Column("id", ID, primary_key=True),
    Column("jpeg", LargeBinary, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    # Who sent it for a form: a household (its dwelling's id) or a staff member (their
    # id). Photos nothing uses yet are drafts, counted against their sender's quota.
    Column("draft_of", ID, index=True),
)


def written_in() -> tuple[Column, Column]:
    """Return the columns of a publication's languages: the one it was written in, and
    its versions in the others, ``{language: {field: text}}`` for its text fields."""
    return (
        Column("language", String(2), nullable=False, server_default="fr"),
        Column("versions", JSON, nullable=False, server_default="{}"),
    )


news = Table(
    "news",
    metadata,
    Column("id", ID, primary_key=True),
    Column("publisher_id", ID, ForeignKey("publishers.id"), nullable=False),
    Column("title", String(140), nullable=False),
    Column("body", Text, nullable=False),
    Column("photo_id", ID, ForeignKey("photos.id")),
    Column("scope_kind", String(20), nullable=False),
    # A building or residence id, or a district or city name, depending on scope_kind.
    Column("scope_ref", String(120), nullable=False),
    Column("published_at", DateTime, nullable=False, index=True),
    Column("expires_at", DateTime),
    Column("author_staff_id", ID, ForeignKey("staff.id")),
    *written_in(),
)

works_notices = Table(
    "works_notices",
    metadata,
    Column("id", ID, primary_key=True),
    Column("publisher_id", ID, ForeignKey("publishers.id")),
    Column("scope_kind", String(20), nullable=False),
    # As for news: a building or residence id, or a district or city name.
    Column("scope_ref", String(120), nullable=False),
    Column("title", String(140), nullable=False),
    Column("location", String(140), nullable=False),
    Column("photo_id", ID, ForeignKey("photos.id")),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("tenant_action", Text, nullable=False, server_default=""),
    Column("published_at", DateTime, nullable=False),
    Column("author_staff_id", ID, ForeignKey("staff.id")),
    *written_in(),
    Index("ix_works_notices_scope", "scope_kind", "scope_ref"),
)

reports = Table(
    "reports",
    metadata,
    Column("id", ID, primary_key=True),
    # Numbered by the box that filed it; the hub holds reports of many boxes.
    Column("number", Integer, nullable=False),
    Column("building_id", ID, ForeignKey("buildings.id"), nullable=False),
    Column("dwelling_id", ID, ForeignKey("dwellings.id"), nullable=False, index=True),
    Column("author_profile_id", ID, ForeignKey("profiles.id")),
    Column("category", String(20), nullable=False),
    Column("location", String(20), nullable=False),
    Column("description", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("scheduled_for", Date),
    Column("duplicate_of", ID, ForeignKey("reports.id")),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # Who filed it, as they were then, for the agents who handle the building's reports:
    # the name, language and contact of the household member (their profile lives on
    # the box only).
    Column("household_name", String(60)),
    Column("household_locale", String(8)),
    Column("household_contact", String(200)),
    Index("ix_reports_building_status", "building_id", "status"),
    UniqueConstraint("building_id", "number", name="uq_reports_building_number"),
)

report_photos = Table(
    "report_photos",
    metadata,
    Column("report_id", ID, ForeignKey("reports.id"), primary_key=True),
    Column("photo_id", ID, ForeignKey("photos.id"), primary_key=True),
    Column("position", Integer, nullable=False),
)

report_events = Table(
    "report_events",
    metadata,
    Column("id", ID, primary_key=True),
    Column("report_id", ID, ForeignKey("reports.id"), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("scheduled_for", Date),
    Column("duplicate_of", ID, ForeignKey("reports.id")),
    Column("actor_staff_id", ID, ForeignKey("staff.id")),
    # The agent's name when the change was made at the hub.
    Column("actor_name", String(100)),
    Column("created_at", DateTime, nullable=False),
)

report_messages = Table(
    "report_messages",
    metadata,
    Column("id", ID, primary_key=True),
    Column("report_id", ID, ForeignKey("reports.id"), nullable=False, index=True),
    Column("author_kind", String(10), nullable=False),
    Column("author_profile_id", ID, ForeignKey("profiles.id")),
    Column("author_staff_id", ID, ForeignKey("staff.id")),
    # The author's name when the message was written on the other side of the link.
    Column("author_name", String(100)),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

report_supporters = Table(
    "report_supporters",
    metadata,
    Column("report_id", ID, ForeignKey("reports.id"), primary_key=True),
    Column("dwelling_id", ID, ForeignKey("dwellings.id"), primary_key=True),
    Column("profile_id", ID, ForeignKey("profiles.id")),
    Column("created_at", DateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("actor_staff_id", ID, ForeignKey("staff.id")),
    Column("action", String(60), nullable=False),
    Column("target", String(120), nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default=""),
)

# One row counting the changes to what tenants' pages show; SQLite triggers on those
# tables bump it (migration 0002), so a worker knows when a rendered page is stale.
content_version = Table(
    "content_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    CheckConstraint("id = 1", name="ck_content_version_single_row"),
)

# Failed attempts, leaking away (core/domain/rate_limits.py): the key is clear of
# them at ``clear_at`` (seconds since the epoch).
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("clear_at", Float, nullable=False),
)

# Who is signed in on which device (core/domain/sessions.py): the hash of the token
# the device's cookie carries.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("profile_id", ID, ForeignKey("profiles.id", ondelete="CASCADE"), index=True),
    Column("staff_id", ID, ForeignKey("staff.id", ondelete="CASCADE"), index=True),
    Column("started_at", DateTime, nullable=False),
    Column("seen_at", DateTime, nullable=False),
    Column("ends_at", DateTime, nullable=False, index=True),
    # "tv" for a TV a household's phone let in (core/domain/tv_pairings.py); else none.
    Column("device", String(8)),
)

# A TV asking to be let in: it shows the code, a signed-in phone of the household
# approves it, and the TV (which alone holds the secret) then takes its session.
tv_pairings = Table(
    "tv_pairings",
    metadata,
    Column("id", ID, primary_key=True),
    Column("secret_digest", String(64), nullable=False, unique=True),
    Column("code", String(8), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("approved_profile_id", ID, ForeignKey("profiles.id", ondelete="CASCADE")),
    Column("approved_at", DateTime),
    # The QR code leading a phone to this pairing's code, drawn once when it starts and
    # gone with it.
    Column("qr_image", Text, nullable=False),
)

# The link between boxes and the hub (link/, docs/PROTOCOL.md).

# One row saying what this database serves: a box linked to a hub, or the hub. A box
# without it is on its own and keeps everything local.
node = Table(
    "node",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("box_id", String(64)),
    Column("created_at", DateTime, nullable=False),
    CheckConstraint("id = 1", name="ck_node_single_row"),
    CheckConstraint("kind IN ('box', 'hub')", name="ck_node_kind"),
)

# The other ends of the link: "hub" on a box, each box at the hub. Messages to a peer are
# numbered 1, 2, 3…; each side applies the peer's messages in that order, once, and
# acknowledges the last number applied.
peers = Table(
    "peers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("sent_seq", Integer, nullable=False, server_default="0"),
    Column("applied_seq", Integer, nullable=False, server_default="0"),
    Column("acked_at", DateTime),
    # At the hub: when a box's cursor first showed numbers the hub no longer has, and,
    # once it was brought up to date, the number its downlink resumes from.
    Column("gap_seen_at", DateTime),
    Column("resume_from", Integer),
)

# Messages waiting for the peer to say it has stored them, written in the same
# transaction as the change they carry.
outbox = Table(
    "outbox",
    metadata,
    Column("peer_id", String(64), ForeignKey("peers.id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("id", ID, nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    # The report, news item… the message is about, to tell what has not arrived yet.
    Column("subject_id", ID, index=True),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
)

# Messages refused on receipt, kept for inspection instead of being dropped.
quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("received_at", DateTime, nullable=False, index=True),
    Column("topic", String(200), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    # The box whose branch it came on, at the hub, when the topic names an enrolled one.
    Column("box_id", String(64), index=True),
)

# At the hub: what was received under each recent number of each box, so that a second
# message with the same number and other content is told apart from a copy.
received = Table(
    "received",
    metadata,
    Column("peer_id", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("fingerprint", String(32), nullable=False),
    Column("kept_aside", Boolean, nullable=False),
)

# At the hub: second messages under a number already applied, with other content. Either
# may be the box's real one; both are kept, and the box keeps its own until an operator
# decides.
conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("peer_id", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("fingerprint", String(32), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("decided_at", DateTime),
    Column("decision", String(20)),
    Column("decided_by", String(64)),
    UniqueConstraint("peer_id", "seq", "fingerprint"),
)

# Messages that came ahead of their turn, held until the ones before them are applied:
# several hub ingest processes share a box's messages, so number 8 may reach one just
# before number 7 reaches another.
held = Table(
    "held",
    metadata,
    Column("peer_id", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("topic", String(200), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("received_at", DateTime, nullable=False),
)

# At the hub: which box first sent each comment, thanks and event reply that travels
# across a residence, so that no other box can change or withdraw it.
origins = Table(
    "origins",
    metadata,
    Column("key", String(120), primary_key=True),
    Column("box_id", String(64), nullable=False, index=True),
)

# At the hub: the fleet of boxes, as their telemetry and status last described them.
boxes = Table(
    "boxes",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("label", String(120), nullable=False),
    Column("enrolled_at", DateTime, nullable=False),
    Column("online", Boolean, nullable=False, server_default="0"),
    Column("last_seen_at", DateTime),
    Column("version", String(40)),
    Column("uptime_s", BigInteger),
    Column("disk_free_bytes", BigInteger),
    Column("outbox_depth", Integer),
    Column("last_sync_at", DateTime),
    Column("brought_up_to_date_at", DateTime),
)

box_buildings = Table(
    "box_buildings",
    metadata,
    Column("box_id", String(64), ForeignKey("boxes.id"), primary_key=True),
    Column("building_id", ID, ForeignKey("buildings.id"), primary_key=True, unique=True),
)

# Community life (issue: noticeboard, moderation, notifications).

# A noticeboard post: for the author's building, or for the whole residence, in which
# case it also reaches the residence's other boxes through the hub. Posts from another
# box carry their author's name and building, as no profile of theirs is here.
posts = Table(
    "posts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("scope", String(20), nullable=False),
    Column("residence_id", ID, ForeignKey("residences.id"), nullable=False),
    # No foreign key: a residence post may come from a building of another box.
    Column("building_id", ID, nullable=False),
    Column("building_name", String(120), nullable=False),
    Column("category", String(20), nullable=False),
    Column("title", String(140), nullable=False),
    Column("body", Text, nullable=False),
    Column("photo_id", ID, ForeignKey("photos.id")),
    # Null for a post from another box, or once its author has erased their profile.
    Column("author_profile_id", ID, ForeignKey("profiles.id"), index=True),
    # Null once the author has chosen to keep the post without their name.
    Column("author_name", String(60)),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("hidden_at", DateTime),
    # "flags" (three households flagged it) or "moderator".
    Column("hidden_by", String(20)),
    Index("ix_posts_scope", "scope", "residence_id", "building_id"),
)

post_comments = Table(
    "post_comments",
    metadata,
    Column("id", ID, primary_key=True),
    Column("post_id", ID, ForeignKey("posts.id"), nullable=False, index=True),
    Column("author_profile_id", ID, ForeignKey("profiles.id"), index=True),
    Column("author_name", String(60)),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("hidden_at", DateTime),
    Column("hidden_by", String(20)),
)

# "Thank you" on a post, once per person. Reactors may live behind another box, so the
# key is their profile id without a foreign key.
post_reactions = Table(
    "post_reactions",
    metadata,
    Column("post_id", ID, ForeignKey("posts.id"), primary_key=True),
    Column("reactor_id", ID, primary_key=True),
    Column("created_at", DateTime, nullable=False),
)

# Private messages between residents of the box: a conversation of two people, never
# showing a phone number or a flat unless its owner wrote one in their profile.
conversations = Table(
    "conversations",
    metadata,
    Column("id", ID, primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

conversation_members = Table(
    "conversation_members",
    metadata,
    Column("conversation_id", ID, ForeignKey("conversations.id"), primary_key=True),
    Column("profile_id", ID, ForeignKey("profiles.id"), primary_key=True, index=True),
    Column("last_read_at", DateTime),
)

messages = Table(
    "messages",
    metadata,
    Column("id", ID, primary_key=True),
    Column("conversation_id", ID, ForeignKey("conversations.id"), nullable=False, index=True),
    Column("author_profile_id", ID, ForeignKey("profiles.id"), index=True),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Who does not want to hear from whom: a blocked person can no longer write to them.
blocks = Table(
    "blocks",
    metadata,
    Column("blocker_profile_id", ID, ForeignKey("profiles.id"), primary_key=True),
    Column("blocked_profile_id", ID, ForeignKey("profiles.id"), primary_key=True),
    Column("created_at", DateTime, nullable=False),
)

# A video call from one tenant to another: ringing, then accepted or declined. What is
# said and shown is never kept; the row says who called whom and when, as the person
# called sees it on their phone.
calls = Table(
    "calls",
    metadata,
    Column("id", ID, primary_key=True),
    Column("caller_profile_id", ID, ForeignKey("profiles.id"), nullable=False, index=True),
    Column("callee_profile_id", ID, ForeignKey("profiles.id"), nullable=False, index=True),
    Column("state", String(12), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("answered_at", DateTime),
)

# A screen in a building's entrance hall showing the lobby page: its key is kept as a
# digest only, shown once to the caretaker who made it.
lobby_screens = Table(
    "lobby_screens",
    metadata,
    Column("id", ID, primary_key=True),
    Column("building_id", ID, ForeignKey("buildings.id"), nullable=False, index=True),
    Column("name", String(80), nullable=False),
    Column("key_digest", String(64), nullable=False, unique=True),
    Column("created_by_staff_id", ID, ForeignKey("staff.id")),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime),
    Column("revoked_at", DateTime),
)

# A household saying that a post, a comment, a message or a person breaks the charter.
flags = Table(
    "flags",
    metadata,
    Column("id", ID, primary_key=True),
    Column("target_kind", String(20), nullable=False),
    Column("target_id", ID, nullable=False),
    Column("reporter_profile_id", ID, ForeignKey("profiles.id"), nullable=False),
    Column("reporter_dwelling_id", ID, ForeignKey("dwellings.id"), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    # When a caretaker decided on the target; open flags make the caretaker's queue.
    Column("settled_at", DateTime),
    UniqueConstraint(
        "target_kind", "target_id", "reporter_dwelling_id", name="uq_flags_target_household"
    ),
    Index("ix_flags_target", "target_kind", "target_id"),
)

# What a tenant is told in the portal: a reply to their post, a new message, a status
# change on their report, new works, a change to an event they joined, a moderator's
# decision. ``detail`` is JSON with what the sentence needs.
notifications = Table(
    "notifications",
    metadata,
    Column("id", ID, primary_key=True),
    Column("profile_id", ID, ForeignKey("profiles.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("subject_id", ID),
    Column("detail", Text, nullable=False, server_default="{}"),
    Column("created_at", DateTime, nullable=False),
    Column("read_at", DateTime),
    Index("ix_notifications_unread", "profile_id", "read_at"),
)

# Skills exchange: a resident offers or asks for help — homework, DIY, computers,
# shopping for an elderly neighbour, language practice, cooking. Neighbours get in touch
# through private messages.
skills = Table(
    "skills",
    metadata,
    Column("id", ID, primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("category", String(20), nullable=False),
    Column("title", String(140), nullable=False),
    Column("description", Text, nullable=False),
    Column("profile_id", ID, ForeignKey("profiles.id"), nullable=False, index=True),
    Column("residence_id", ID, ForeignKey("residences.id"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("closed_at", DateTime),
)

# The estate's events: what, where, when, who organises, how many may come.
events = Table(
    "events",
    metadata,
    Column("id", ID, primary_key=True),
    Column("scope", String(20), nullable=False),
    Column("residence_id", ID, ForeignKey("residences.id"), nullable=False),
    # No foreign key: a residence's event may come from a building of another box.
    Column("building_id", ID, nullable=False),
    Column("title", String(140), nullable=False),
    Column("description", Text, nullable=False),
    Column("place", String(140), nullable=False),
    Column("starts_at", DateTime, nullable=False, index=True),
    Column("ends_at", DateTime, nullable=False),
    Column("organiser", String(120), nullable=False),
    Column("organiser_profile_id", ID, ForeignKey("profiles.id")),
    Column("organiser_staff_id", ID, ForeignKey("staff.id")),
    # No limit when null.
    Column("capacity", Integer),
    # Held also in a video room of the organiser's box, open a little before the start.
    Column("video_room", Boolean, nullable=False, server_default="0"),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("cancelled_at", DateTime),
)

event_rsvps = Table(
    "event_rsvps",
    metadata,
    Column("event_id", ID, ForeignKey("events.id"), primary_key=True),
    # No foreign key: replies to a residence's event come from the residents of its
    # other boxes too.
    Column("profile_id", ID, primary_key=True, index=True),
    Column("people", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Local shops' deals, written at the hub by merchants for the residences they target,
# and sent to the boxes of those residences. A deal shows from its first to its last day.
deals = Table(
    "deals",
    metadata,
    Column("id", ID, primary_key=True),
    Column("publisher_id", ID, ForeignKey("publishers.id"), nullable=False),
    Column("title", String(140), nullable=False),
    Column("description", Text, nullable=False),
    Column("photo_id", ID, ForeignKey("photos.id")),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    *written_in(),
)

deal_residences = Table(
    "deal_residences",
    metadata,
    Column("deal_id", ID, ForeignKey("deals.id"), primary_key=True),
    Column("residence_id", ID, ForeignKey("residences.id"), primary_key=True),
)

# Partners' services near the estate — social services, the family allowance office,
# health centres, associations, digital-help sessions — kept at the hub for a district
# or a city, and sent to the boxes there.
partners = Table(
    "partners",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(140), nullable=False),
    Column("category", String(30), nullable=False),
    Column("description", Text, nullable=False),
    Column("address", String(200), nullable=False, server_default=""),
    Column("phone", String(40), nullable=False, server_default=""),
    Column("opening_hours", Text, nullable=False, server_default=""),
    Column("scope_kind", String(20), nullable=False),
    Column("scope_ref", String(120), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    *written_in(),
    Index("ix_partners_scope", "scope_kind", "scope_ref"),
)

# A tenant asking for help with the portal; the building's digital mediator or caretaker
# answers.
# Who tenants can turn to in a building: its caretaker and its digital mediator, as the
# sign-in and help pages show them to anyone, signed in or not.
building_contacts = Table(
    "building_contacts",
    metadata,
    Column("building_id", ID, ForeignKey("buildings.id"), primary_key=True),
    Column("role", String(20), primary_key=True),
    Column("name", String(80), nullable=False),
    Column("place", String(140), nullable=False, server_default=""),
    Column("hours", String(300), nullable=False, server_default=""),
    Column("phone", String(40), nullable=False, server_default=""),
    Column("updated_at", DateTime, nullable=False),
)

help_requests = Table(
    "help_requests",
    metadata,
    Column("id", ID, primary_key=True),
    Column("profile_id", ID, ForeignKey("profiles.id"), index=True),
    Column("building_id", ID, ForeignKey("buildings.id"), nullable=False),
    Column("topic", String(20), nullable=False),
    Column("message", Text, nullable=False),
    Column("how", String(20), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("answered_at", DateTime),
    Column("answer", Text),
    Column("answered_by", ID, ForeignKey("staff.id")),
)

# The public name of a box and the certificate an authority signed for it (docs/PROTOCOL.md,
# "Certificates"). At the hub, one row per box: the name the hub gave it, the box's last
# signing request, the chain obtained for it, and the failures on the way. On a box, its
# own row: the name, when it last asked, and a chain that came and waits to be installed.
box_certificates = Table(
    "box_certificates",
    metadata,
    Column("box_id", String(64), primary_key=True),
    Column("name", String(253), nullable=False, unique=True),
    Column("request", Text),
    Column("requested_at", DateTime),
    # At the hub: the box asked, and nothing was obtained for that request yet.
    Column("wanted", Boolean, nullable=False, server_default="0"),
    Column("chain", Text),
    Column("issuer", String(200)),
    Column("not_after", DateTime),
    Column("issued_at", DateTime),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", String(300)),
    Column("failed_at", DateTime),
    Column("retry_at", DateTime),
    # At the hub: why the box would not install the chain it was sent.
    Column("refusal", String(200)),
    Column("refused_at", DateTime),
)
