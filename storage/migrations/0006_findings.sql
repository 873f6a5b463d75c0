-- Audit findings and their corrective actions, tracked to verified closure.
-- A finding is raised on one control of an assessment; its criterion is copied from the
-- pinned catalogue when it is raised (the control text never changes afterwards anyway, but
-- the copy keeps the register readable without joining the catalogue).

CREATE TABLE findings (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    ref VARCHAR NOT NULL UNIQUE,                  -- human number, F-<year raised>-<NNNN>
    assessment_id UUID NOT NULL,
    control_id VARCHAR NOT NULL,
    grade VARCHAR NOT NULL
        CHECK (grade IN ('major', 'minor', 'observation', 'ofi', 'good')),
    status VARCHAR NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'action_planned', 'action_done', 'verified', 'closed')),
    statement VARCHAR NOT NULL,
    criterion_en VARCHAR NOT NULL,
    criterion_ja VARCHAR NOT NULL,
    org_unit_code VARCHAR NOT NULL,               -- the responsible department
    owner VARCHAR NOT NULL,                       -- username of the person who acts on it
    due_date DATE NOT NULL,
    root_cause VARCHAR,
    correction VARCHAR,
    corrective_action VARCHAR,
    responded_by VARCHAR,
    responded_at TIMESTAMPTZ,
    verification_note VARCHAR,
    verified_by VARCHAR,
    verified_at TIMESTAMPTZ,
    closed_by VARCHAR,
    closed_at TIMESTAMPTZ,
    raised_by VARCHAR NOT NULL,
    raised_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (length(statement) > 0)
);

-- Every status change (and every response) in order; from_status is NULL when raised.
CREATE TABLE finding_history (
    finding_id UUID NOT NULL,
    seq INTEGER NOT NULL,
    from_status VARCHAR,
    to_status VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,
    "at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    note VARCHAR,
    PRIMARY KEY (finding_id, seq)
);

-- Evidence files (by content hash) the auditor saw when raising the finding, and those that
-- show the corrective action worked.
CREATE TABLE finding_evidence (
    finding_id UUID NOT NULL,
    sha256 VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('seen', 'verification')),
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    UNIQUE (finding_id, sha256, role)
);
