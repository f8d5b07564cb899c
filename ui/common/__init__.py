"""Small parts every window uses: actions, background jobs, the banner, plain-text labels,
settings, the bridge to the session model, overlays, image views, PDF pages."""
