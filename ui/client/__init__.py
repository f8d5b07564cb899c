"""The client's screen on the second monitor and its monitor inside the tether window."""
