"""Monthly figures computed in the database (SKDN, ILP recap, SIP, follow-up).

Contract shared by the PDF reports, the exports, the API and the dashboards:

* Every function takes ``posyandu_ids`` (already scoped: callers obtain them
  from ``posyandu.scoping.posyandu_ids_for(user, "reports")`` or from a Report
  row whose request was checked) and ``month`` (a ``date``, the first of the
  month). Months are calendar months of the service date in each posyandu's
  time zone: ``Measurement.measured_on`` / ``Visit.date`` are already local
  dates, so a month is a plain date range.
* ``reports.figures.skdn``: ``skdn(posyandu_ids, month) -> dict[int, Skdn]``
  (one entry per posyandu id, zero rows included), ``skdn_trend(posyandu_ids,
  last_month, months=12) -> list[tuple[date, Skdn]]`` (totals over the ids).
  ``Skdn`` holds ``SexCounts`` for S, K, D, B, O, N, T, D', 2T, BGM, sums with
  ``+`` and gives ``indicators()`` (percent, None when the base is 0).
* ``reports.figures.tables``: ``Table`` / ``Row`` / ``Column`` — the one shape
  every report section is rendered from (HTML/PDF, CSV, XLSX, JSON).
* ``reports.figures.build``: ``report_tables(kind, level, posyandu_ids, month)
  -> list[Table]`` for kind in KINDS and level in LEVELS; this is what a
  report shows.
"""
