"""Executive and audit dashboards: set-based queries over assessments, findings, contractors."""
