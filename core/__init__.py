"""Cross-cutting pieces every layer may import: the exception tree and settings."""
