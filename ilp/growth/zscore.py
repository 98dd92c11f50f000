"""WHO LMS z-scores, with the WHO "restricted" rule for weight-based indices.

Formulas from WHO Child Growth Standards: Methods and development (2006),
chapter 7 "Computation of centiles and z-scores":

* z = ((X/M)^L - 1) / (L*S) for L != 0, z = ln(X/M) / S for L = 0;
* SD(n) = M * (1 + L*S*n)^(1/L) (M * exp(S*n) for L = 0);
* weight-based indices beyond +-3: z > 3 -> 3 + (X - SD3) / (SD3 - SD2),
  z < -3 -> -3 + (X - SD-3) / (SD-2 - SD-3).
"""

from __future__ import annotations

import math

from .tables import Lms


def lms_z(x: float, lms: Lms) -> float:
    """Plain LMS z-score of measurement ``x``."""
    if x <= 0:
        raise ValueError("measurement must be positive")
    if lms.l == 0:
        return math.log(x / lms.m) / lms.s
    return ((x / lms.m) ** lms.l - 1) / (lms.l * lms.s)


def sd_value(lms: Lms, n: float) -> float:
    """The measurement lying exactly ``n`` SD from the median."""
    if lms.l == 0:
        return lms.m * math.exp(lms.s * n)
    return lms.m * (1 + lms.l * lms.s * n) ** (1 / lms.l)


def restricted_z(x: float, lms: Lms) -> float:
    """LMS z-score with the WHO restricted rule beyond +-3 SD (weight-based indices)."""
    z = lms_z(x, lms)
    if z > 3:
        sd3 = sd_value(lms, 3)
        return 3 + (x - sd3) / (sd3 - sd_value(lms, 2))
    if z < -3:
        sd3neg = sd_value(lms, -3)
        return -3 + (x - sd3neg) / (sd_value(lms, -2) - sd3neg)
    return z
