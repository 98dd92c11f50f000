"""Kader and bidan co-production. One module per feature:
team (profiles, skills, allocation, assignments), tasks (follow-up tasks,
home visits), social (social screen and Puskesos referrals)."""

from kader.models import social, tasks, team  # noqa: F401  (model discovery)
