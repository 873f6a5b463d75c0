-- The company's organisation: departments, sites and systems that an audit can scope, and the
-- people who work in them (sign-in accounts and roles build on these).

CREATE TABLE org_units (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    code VARCHAR NOT NULL UNIQUE,
    kind VARCHAR NOT NULL,            -- department | site | system
    name_en VARCHAR NOT NULL,
    name_ja VARCHAR NOT NULL,
    parent_code VARCHAR,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE TABLE people (
    id UUID PRIMARY KEY DEFAULT uuidv7(),
    name_ja VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    email VARCHAR NOT NULL UNIQUE,
    title_en VARCHAR,
    title_ja VARCHAR,
    org_unit_code VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- Which demo data sets have been loaded, so `kansa demo` can refuse to load one twice.
CREATE TABLE demo_loads (
    name VARCHAR PRIMARY KEY,
    loaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
