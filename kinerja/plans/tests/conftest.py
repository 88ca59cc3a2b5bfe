"""Fixtures shared by the plans tests: the plan of the SKP API refusal stories."""

from __future__ import annotations

import pytest

from kinerja.org.testing import Cast
from kinerja.plans import services

from .api_helpers import IKI, YEAR, Plan


@pytest.fixture
def plan(cast: Cast) -> Plan:
    """kasi's draft SKP with one RHK cascaded to staf_a, who added one IKI (still a draft)."""
    kasi = cast.user("kasi")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=YEAR)
    kasi_rhk = services.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer")
    [child] = services.rhk_cascade(by=kasi, rhk=kasi_rhk, assignments=[(cast.staf_a, "")])
    iki = services.iki_save(by=cast.user("staf_a"), rhk=child, values=IKI)
    return Plan(kasi_skp, kasi_rhk, child.skp, child, iki)
