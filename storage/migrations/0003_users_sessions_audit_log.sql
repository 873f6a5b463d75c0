-- People who sign in, their sessions, failed sign-in attempts, and the audit trail.

CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    username VARCHAR NOT NULL UNIQUE,
    display_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    org_unit_code VARCHAR,
    password_hash VARCHAR,            -- NULL: signs in through single sign-on only
    active BOOLEAN NOT NULL DEFAULT true,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- A signed cookie names a session; the row decides whether it is still good (sign-out,
-- deactivation and password resets end sessions here, whatever the cookie says).
CREATE TABLE sessions (
    id VARCHAR PRIMARY KEY,
    user_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    expires_at TIMESTAMPTZ NOT NULL,
    client VARCHAR,
    ended_at TIMESTAMPTZ
);

CREATE TABLE login_attempts (
    "at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    username VARCHAR NOT NULL,
    client VARCHAR NOT NULL,
    success BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_at ON login_attempts ("at");

-- Hash-chained: hash = sha256(prev_hash || canonical JSON of the row), computed by DuckDB
-- (see auth/repository.py); "at" (quoted: a keyword in DuckDB) is kept as the exact UTC text that was hashed.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    "at" VARCHAR NOT NULL,   -- ISO-8601 UTC with microseconds
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    entity_id VARCHAR,
    before JSON,
    after JSON,
    prev_hash VARCHAR NOT NULL,
    hash VARCHAR NOT NULL
);
