"""The live coach and light aids drawn over live view."""
