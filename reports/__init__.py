"""Turn plain data into bytes (CSV, Excel, PDF); never queries the database."""
