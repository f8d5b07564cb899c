"""What clients and the photographer say about shots: stars, picks, rejects and labels, and
the clients' hearts and notes, kept in the catalog and in XMP sidecars other programs read."""
