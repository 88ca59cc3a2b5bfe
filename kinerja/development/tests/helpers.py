"""What the tindak lanjut tests share: a case opened for staf_a's approved SKP."""

from __future__ import annotations

from kinerja.assessments.testing import approved_skp
from kinerja.org.testing import Cast

from .. import rules, services
from ..models import Kasus


def a_case(cast: Cast) -> Kasus:
    """The scan's case for staf_a (rated by kasi): progress too low in the first period."""
    plan = approved_skp(cast, "staf_a")
    kasus, _ = services.kasus_open(
        by=None, skp=plan.skp, period=1, reason=rules.PROGRES_RENDAH, data={"progres": "4.17"}
    )
    return kasus
