"""A capture's way to disk: the ingester and its thread, backups and their catch-up, the card's
ledger, the tether that joins camera and ingest."""
