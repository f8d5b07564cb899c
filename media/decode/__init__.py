"""Reading pictures: embedded previews, TIFF/RAW headers, display sizes, thumbnails and JPEG
encoding for export (any thread; no Qt)."""
