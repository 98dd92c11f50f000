"""Database session settings for the figure queries."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def figures_transaction():
    """Run the figure queries in one transaction with PostgreSQL's JIT off.

    The grouped queries carry many correlated EXISTS filters; the planner's
    cost estimate for them is far above ``jit_above_cost`` although they run
    in tens of milliseconds, and compiling them took 0.2–3.5 s per query on
    the benchmark data. ``SET LOCAL`` ends with the transaction (or with the
    caller's outer transaction)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield
