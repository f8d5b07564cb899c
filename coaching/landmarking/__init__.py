"""The face and pose models (MediaPipe Tasks) and the analysis processes they run in, for the
live coach and for stills alike: frames in through shared memory, landmarks back as data."""
