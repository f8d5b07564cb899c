"""Sharing to phones: the share dialog with its QR code and links."""
