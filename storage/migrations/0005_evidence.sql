-- Evidence: file bytes live in the content-addressed store (data/evidence/<sha[:2]>/<sha>);
-- these rows describe each stored file once and link it to (assessment, control) pairs.

CREATE TABLE evidence_files (
    sha256 VARCHAR PRIMARY KEY,
    size BIGINT NOT NULL,
    media_type VARCHAR NOT NULL,
    stored_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    stored_by VARCHAR NOT NULL
);

CREATE TABLE evidence_links (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    sha256 VARCHAR NOT NULL,
    assessment_id UUID NOT NULL,
    control_id VARCHAR NOT NULL,
    filename VARCHAR NOT NULL,          -- as the uploader named it: metadata only, never a path
    description VARCHAR,
    valid_until DATE,
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    UNIQUE (sha256, assessment_id, control_id)
);
