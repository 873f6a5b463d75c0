-- Contractor supervision (APPI Art. 25, guideline 3-4-4) and foreign environments (Art. 28,
-- guideline 10-7): the contractor register, certifications, re-entrustment chains, the country
-- register, where personal data is stored or accessed, and the reviews of contractors.
-- Referential rules (a link names two contractors, no circular chains, ...) are kept by
-- contractors/service.py; as elsewhere in this schema, no foreign keys (DuckDB refuses updates
-- of rows that others reference).

CREATE TABLE contractors (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    code VARCHAR NOT NULL UNIQUE,                 -- CTR-0001: human reference, scope of reviews
    name VARCHAR NOT NULL,
    name_en VARCHAR,
    services VARCHAR NOT NULL,                    -- the work entrusted
    data_categories VARCHAR[] NOT NULL,           -- e.g. customer contact data, payroll data
    approx_individuals INTEGER NOT NULL CHECK (approx_individuals >= 0),
    special_care BOOLEAN NOT NULL,                -- special care-required personal information
    contract_start DATE NOT NULL,
    contract_end DATE,
    -- The clauses an entrustment contract needs (guideline 3-4-4): true when it has them.
    clause_security_measures BOOLEAN NOT NULL,
    clause_confidentiality BOOLEAN NOT NULL,
    clause_reentrustment BOOLEAN NOT NULL,        -- conditions on re-entrustment
    clause_handling_reports BOOLEAN NOT NULL,
    clause_return_deletion BOOLEAN NOT NULL,
    breach_notice_hours INTEGER CHECK (breach_notice_hours IS NULL OR breach_notice_hours > 0),
                                                  -- NULL: no breach-notice clause
    clause_audit_rights BOOLEAN NOT NULL,
    owner VARCHAR NOT NULL,                       -- username of the supervisor in charge
    -- Kept by the service from the tier rule (contractors/model.py) on every change.
    tier VARCHAR NOT NULL CHECK (tier IN ('high', 'medium', 'low')),
    tier_points INTEGER NOT NULL,
    last_review_on DATE,
    next_review_due DATE NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    CHECK (contract_end IS NULL OR contract_end >= contract_start),
    CHECK (length(name) > 0)
);

CREATE TABLE contractor_certifications (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    contractor_id UUID NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('privacymark', 'iso27001', 'soc2', 'other')),
    certificate_id VARCHAR NOT NULL,              -- registration / certificate number
    scope VARCHAR,
    expires_on DATE NOT NULL,
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- Re-entrustment: parent re-entrusts (part of) our work to child, which is itself registered.
CREATE TABLE contractor_subcontractors (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    parent_id UUID NOT NULL,
    child_id UUID NOT NULL,
    work VARCHAR NOT NULL,
    approved BOOLEAN NOT NULL DEFAULT false,      -- our prior approval
    approved_by VARCHAR,
    approved_at TIMESTAMPTZ,
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (parent_id, child_id),
    CHECK (parent_id <> child_id),
    CHECK (approved = (approved_by IS NOT NULL))
);

-- The country register: what is known of each country's personal-information regime.
-- Seeded entries are data to re-check (verified_by NULL), not legal advice.
CREATE TABLE countries (
    code VARCHAR PRIMARY KEY,                     -- ISO 3166-1 alpha-2
    name_en VARCHAR NOT NULL,
    name_ja VARCHAR NOT NULL,
    regime_exists BOOLEAN NOT NULL,
    regime_en VARCHAR NOT NULL,                   -- the laws, in a sentence
    regime_ja VARCHAR NOT NULL,
    gdpr_adequacy VARCHAR NOT NULL CHECK (gdpr_adequacy IN ('eea', 'adequate', 'partial', 'none')),
    apec_cbpr VARCHAR NOT NULL CHECK (apec_cbpr IN ('participant', 'associate', 'none')),
    oecd_gaps JSON NOT NULL,                      -- [{"principle", "note_en", "note_ja"}]
    government_access_en VARCHAR NOT NULL,
    government_access_ja VARCHAR NOT NULL,
    localisation_en VARCHAR NOT NULL,
    localisation_ja VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    reviewed_on DATE NOT NULL,
    review_due DATE NOT NULL,
    verified_by VARCHAR,                          -- NULL: seed data nobody has re-checked yet
    version INTEGER NOT NULL DEFAULT 1,
    updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    CHECK (review_due >= reviewed_on)
);

-- Where personal data is stored or accessed: a contractor (id), a system or a site (org unit code).
CREATE TABLE data_locations (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    subject_kind VARCHAR NOT NULL CHECK (subject_kind IN ('contractor', 'system', 'site')),
    subject_id VARCHAR NOT NULL,
    subject_name VARCHAR NOT NULL,
    country_code VARCHAR NOT NULL,
    mode VARCHAR NOT NULL CHECK (mode IN ('stored', 'accessed')),
    note VARCHAR,
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    UNIQUE (subject_kind, subject_id, country_code, mode)
);

-- A contractor review is an assessment on the contractor-review catalogue whose scope_unit is
-- the contractor's code; this row ties it to the contractor and records the outcome.
CREATE TABLE contractor_reviews (
    assessment_id UUID PRIMARY KEY,
    contractor_id UUID NOT NULL,
    method VARCHAR NOT NULL CHECK (method IN ('questionnaire', 'visit', 'documents')),
    started_by VARCHAR NOT NULL,
    started_on DATE NOT NULL,
    completed_by VARCHAR,
    completed_on DATE,
    score DOUBLE,
    tier_after VARCHAR CHECK (tier_after IS NULL OR tier_after IN ('high', 'medium', 'low')),
    next_review_due DATE
);

-- A foreign-environment assessment of one country (scope_unit CTY-<code>).
CREATE TABLE country_reviews (
    assessment_id UUID PRIMARY KEY,
    country_code VARCHAR NOT NULL,
    started_by VARCHAR NOT NULL,
    started_on DATE NOT NULL
);

-- Answers that are not on the maturity scale (yes/no, date, text questions): the responses
-- table holds documented/implemented levels only. value NULL means N/A with a reason.
CREATE TABLE typed_responses (
    assessment_id UUID NOT NULL,
    control_id VARCHAR NOT NULL,
    answer_type VARCHAR NOT NULL CHECK (answer_type IN ('yes_no', 'date', 'text')),
    value VARCHAR,
    na_reason VARCHAR,
    note VARCHAR,
    answered_by VARCHAR NOT NULL,
    answered_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (assessment_id, control_id),
    CHECK ((value IS NULL) = (na_reason IS NOT NULL)),
    CHECK (answer_type <> 'yes_no' OR value IS NULL OR value IN ('yes', 'no'))
);
