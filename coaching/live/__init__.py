"""The live coach on live view: frames in, cues out (debounced), live light aids."""
