"""Streamlit-only helpers: the cached database, language and strings, small widgets."""
