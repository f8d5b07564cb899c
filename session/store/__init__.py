"""Where a session lives on disk: the session folder and its writer lock, the catalog (SQLite) and
its place and rescue, verified writes, file names and naming templates, crash repair, the
thumbnail cache."""
