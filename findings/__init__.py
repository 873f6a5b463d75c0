"""Findings and corrective actions, tracked from raising to verified closure."""
