"""A headshot day's people: rosters, ids, the team's shots, the house look and the consistency
report."""
