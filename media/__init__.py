"""Neutral helpers below every other package: decoding and turning pictures (imaging) and
which files are pictures (file_kinds). No Qt, no camera, no session; pure functions."""
