"""The tether window: live view, camera panel, the capture key, the filmstrip, the review pane and
the culling keys."""
