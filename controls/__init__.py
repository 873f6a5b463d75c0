"""Control catalogues: the model, the YAML loader and validator, and the catalogue service."""
