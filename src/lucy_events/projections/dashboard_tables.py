"""The dashboard's tables: one row per client with every column the overview shows,
and the firm's staff and teams that the tabs and names need."""

from __future__ import annotations

from lucy_events.projections.tables import Index, Table

CLIENTS = Table(
    "dashboard_clients",
    (
        ("client_id", "text"), ("firm_id", "text"),
        # 0 while only the client's documents are known (a bus may deliver a client's
        # document events before its ClientCreated); such rows are not listed.
        ("version", "int"),
        ("name", "text"), ("name_key", "text"), ("numbers_key", "text"),
        ("enterprise_number", "text"), ("vat_number", "text"), ("country", "text"),
        ("contact_name", "text"), ("contact_email", "text"),
        ("firm_contact_id", "text"), ("firm_contact_name", "text"),
        ("team_id", "text"), ("team_name", "text"),
        ("status", "text"), ("invitation_expires_at", "text"), ("activated_at", "text"),
        ("plan", "text"), ("trial_ends_on", "text"),
        ("integration_package", "text"), ("integration_kind", "text"),
        ("integration_ubl", "bool"),
        ("peppol_send", "bool"), ("peppol_receive", "bool"),
        ("hidden", "bool"), ("auto_send", "bool"),
        ("inbox_count", "int"), ("sending_count", "int"),
        ("failed_count", "int"), ("rejected_count", "int"),
        ("last_document_at", "text"), ("created_at", "text"), ("updated_at", "text"),
        # The firm's services for the client (JSON: service id -> owner, participants)
        # and everyone on them (a JSON list of staff ids, for My clients).
        ("services", "text"), ("participant_ids", "text"),
    ),
    key=("client_id",),
    indexes=(
        # The list's pages in name order, without sorting the firm's clients.
        Index("firm_name", "firm_id, name_key, client_id"),
        # Counts and tabs: a narrow index, so a count reads only the firm's rows.
        Index("firm_status", "firm_id, status, hidden", where="version > 0"),
        Index("firm_contact", "firm_contact_id"),
        Index("team", "team_id"),
        Index("name_trigram", "name_key", trigram=True),
        Index("numbers_trigram", "numbers_key", trigram=True),
    ),
)

STAFF = Table(
    "dashboard_staff",
    (
        ("staff_id", "text"), ("firm_id", "text"), ("name", "text"), ("email", "text"),
        ("role", "text"), ("team_ids", "text"), ("removed", "bool"),
    ),
    key=("staff_id",),
    indexes=(Index("firm", "firm_id, name"),),
)

TEAMS = Table(
    "dashboard_teams",
    (("team_id", "text"), ("firm_id", "text"), ("name", "text")),
    key=("team_id",),
    indexes=(Index("firm", "firm_id, name"),),
)

FIRMS = Table(
    "dashboard_firms",
    (("firm_id", "text"), ("name", "text"), ("version", "int")),
    key=("firm_id",),
)

#: Each document's status as far as the counts go: a deletion must know what it uncounts.
DOCUMENTS = Table(
    "dashboard_documents",
    (("document_id", "text"), ("client_id", "text"), ("status", "text"), ("version", "int")),
    key=("document_id",),
)

TABLES = (CLIENTS, STAFF, TEAMS, FIRMS, DOCUMENTS)
