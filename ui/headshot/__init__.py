"""Headshot days in the tether window: the roster, QR cards, the house look, the consistency report
and delivery."""
