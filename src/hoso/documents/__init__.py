"""Scanned evidence documents: upload checks, storage."""
