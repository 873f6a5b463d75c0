"""DuckDB access: the connection factory, migrations and (later) backup."""
