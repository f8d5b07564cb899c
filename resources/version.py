"""The application's version (one place; the About dialog and the self-test show it)."""

VERSION = "0.1.0"
