"""The simulated camera (the demo and fault injection) and its scene, files and faults."""
