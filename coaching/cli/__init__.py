"""Every command-line entry point behind main.py: shoot, mark, roster, proof, deliver, analyze."""
