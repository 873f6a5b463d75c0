"""Operations: backups and restores, the health check and ``kansa doctor``."""
