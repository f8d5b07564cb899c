"""The thread that owns a camera: the worker and its mailbox, event listening, live frames,
downloads, retries and the card's sync."""
