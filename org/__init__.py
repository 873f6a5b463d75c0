"""The company's organisation: org units (departments, sites, systems) and people."""
