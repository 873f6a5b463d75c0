"""Self-inspection campaigns: assessments, responses and scoring."""
