"""Real cameras through python-gphoto2: the backend, claiming the USB device, connecting,
diagnosis."""
