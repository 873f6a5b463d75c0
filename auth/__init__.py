"""Users, roles and permissions, sign-in sessions, and the tamper-evident audit trail."""
