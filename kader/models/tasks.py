"""Models: tasks."""
