-- Self-inspection campaigns (assessments) and their responses.
-- An assessment pins one catalogue version (catalogue_id) for ever; scope is one org unit.

CREATE TABLE assessments (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    title VARCHAR NOT NULL,
    catalogue_id UUID NOT NULL,
    scope_unit VARCHAR NOT NULL,
    period_start DATE,
    period_end DATE,
    lead_auditor VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'planned',   -- planned | in_progress | in_review | closed
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    closed_by VARCHAR,
    closed_at TIMESTAMPTZ,
    version INTEGER NOT NULL DEFAULT 1
);

-- Audit team (auditors) and auditees by username.
CREATE TABLE assessment_members (
    assessment_id UUID NOT NULL,
    username VARCHAR NOT NULL,
    member_role VARCHAR NOT NULL,                -- auditor | auditee
    PRIMARY KEY (assessment_id, username)
);

-- One row per answered control. documented/implemented are 0..5, both NULL when N/A
-- (na_reason set). An unanswered control has no row.
CREATE TABLE responses (
    assessment_id UUID NOT NULL,
    control_id VARCHAR NOT NULL,
    documented SMALLINT,
    implemented SMALLINT,
    na_reason VARCHAR,
    note VARCHAR,
    answered_by VARCHAR NOT NULL,
    answered_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    review_state VARCHAR NOT NULL DEFAULT 'pending',  -- pending | accepted | returned
    review_comment VARCHAR,
    reviewed_by VARCHAR,
    reviewed_at TIMESTAMPTZ,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (assessment_id, control_id),
    CHECK (documented IS NULL OR documented BETWEEN 0 AND 5),
    CHECK (implemented IS NULL OR implemented BETWEEN 0 AND 5),
    CHECK ((documented IS NULL) = (implemented IS NULL)),
    CHECK ((documented IS NULL) = (na_reason IS NOT NULL))
);
