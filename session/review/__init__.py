"""Folders and sessions for review: listing, review data, bursts."""
