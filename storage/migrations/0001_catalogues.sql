-- Control catalogues: frozen, versioned copies of controls/library/*.yaml (or imported files).
-- A catalogue row is never updated: a new version is a new row, so an assessment that pins
-- a catalogue keeps exactly the text it was run against.

CREATE TABLE catalogues (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    urn VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    name_ja VARCHAR NOT NULL,
    source_en VARCHAR,
    source_ja VARCHAR,
    scale VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    imported_by VARCHAR NOT NULL,
    UNIQUE (urn, version)
);

CREATE TABLE catalogue_domains (
    catalogue_id UUID NOT NULL REFERENCES catalogues (id),
    domain_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    name_en VARCHAR NOT NULL,
    name_ja VARCHAR NOT NULL,
    description_en VARCHAR,
    description_ja VARCHAR,
    PRIMARY KEY (catalogue_id, domain_id)
);

CREATE TABLE controls (
    catalogue_id UUID NOT NULL REFERENCES catalogues (id),
    control_id VARCHAR NOT NULL,
    domain_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    is_key BOOLEAN NOT NULL,
    is_assessable BOOLEAN NOT NULL,
    answer_type VARCHAR NOT NULL,
    title_en VARCHAR NOT NULL,
    title_ja VARCHAR NOT NULL,
    requirement_en VARCHAR NOT NULL,
    requirement_ja VARCHAR NOT NULL,
    guidance_en VARCHAR[] NOT NULL,
    guidance_ja VARCHAR[] NOT NULL,
    small_business_en VARCHAR,
    small_business_ja VARCHAR,
    evidence_hints_en VARCHAR[] NOT NULL,
    evidence_hints_ja VARCHAR[] NOT NULL,
    -- NFKC-folded, lower-cased text of every field in both languages, ids and refs:
    -- what the catalogue search matches against.
    search_text VARCHAR NOT NULL,
    PRIMARY KEY (catalogue_id, control_id)
);

CREATE TABLE control_refs (
    catalogue_id UUID NOT NULL,
    control_id VARCHAR NOT NULL,
    scheme VARCHAR NOT NULL,
    ref VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (catalogue_id, control_id, scheme, ref)
);
