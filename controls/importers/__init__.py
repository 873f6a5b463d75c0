"""Importers of other control frameworks (CISO Assistant libraries, OSCAL catalogs).

Each turns a foreign file into the plain data of a Kansa catalogue, which is then validated by
the same pydantic schema as our own YAML, and says what it mapped and what it dropped.
"""
