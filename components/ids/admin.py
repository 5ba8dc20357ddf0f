"""Ids of the admin page (pages/admin.py, callbacks/admin.py)."""

AUDIT = "admin-audit"
USERS = "admin-users"
AUDIT_TABLE = "admin-audit-table"
USERS_TABLE = "admin-users-table"
