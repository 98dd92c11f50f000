"""Models: team."""
