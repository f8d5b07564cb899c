"""The picture service for the windows: decoded pictures per shot and size (capture pipeline,
filmstrip, review, loupe)."""
