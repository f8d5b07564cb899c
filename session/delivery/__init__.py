"""Handing over: export and face-anchored delivery (crop plans and their rendering)."""
