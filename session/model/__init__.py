"""The one session model: shots, marks, flags, analysis, people and favourites as immutable values,
and the events its listeners hear (SessionModel; snapshots loaded off the GUI thread)."""
