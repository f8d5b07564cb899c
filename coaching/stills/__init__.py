"""Analysis of stills: the capture pipeline that decodes and analyses every shot once, the
analysis of a still, back-filling a session's shots no model has looked at."""
