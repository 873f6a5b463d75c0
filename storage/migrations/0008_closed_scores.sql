-- Scores of closed assessments, kept once they are final: a closed assessment never changes,
-- so dashboards over every department and period read these few rows instead of scoring a
-- million answers on each page view. Filled when an assessment closes, and for closed
-- assessments that arrived another way (imports, demo data) the first time a dashboard asks.
-- domain_id '*' holds the overall figures. Ratings are not stored: they also depend on
-- findings, which keep moving.

CREATE TABLE closed_scores (
    assessment_id UUID NOT NULL,
    domain_id VARCHAR NOT NULL,
    dpos INTEGER,
    score DOUBLE,
    level INTEGER,
    coverage DOUBLE,
    PRIMARY KEY (assessment_id, domain_id)
);
