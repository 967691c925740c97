"""Ingest: turn sources into chunks with citation metadata and keep the store in step with them."""
