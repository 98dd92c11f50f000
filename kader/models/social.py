"""Models: social."""
