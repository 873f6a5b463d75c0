"""Turn plain data into bytes: CSV now; PDF, Excel and OSCAL later. Never queries the database."""
