"""The SKP JSON API (/api/v1/): pohon kinerja and the status board.

Stories use the named cast from kinerja/org/testing.py: kasi rates staf_a and staf_b, kabid
rates kasi, the outsider works in another instansi.
"""

from __future__ import annotations

import pytest

from kinerja.org.testing import Cast
from kinerja.plans import services

from .api_helpers import YEAR, Login, assert_error, get, ok


@pytest.fixture
def pohon_state(cast: Cast) -> dict[str, int]:
    """The cascade of test_workflow_smoke: one covered, one uncovered, one orphan RHK."""
    kasi = cast.user("kasi")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=YEAR)
    covered = services.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer")
    lonely = services.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Belum diturunkan")
    [child] = services.rhk_cascade(by=kasi, rhk=covered, assignments=[(cast.staf_a, "")])
    staf_b = cast.user("staf_b")
    staf_skp = services.skp_create(by=staf_b, pegawai=cast.staf_b, year=YEAR)
    orphan = services.rhk_save(by=staf_b, skp=staf_skp, jenis="UTAMA", text="Lepas")
    return {"covered": covered.pk, "lonely": lonely.pk, "child": child.pk, "orphan": orphan.pk}


def test_pohon_kinerja(cast: Cast, login: Login, pohon_state: dict[str, int]) -> None:
    data = ok(get(login("admin"), f"/pohon-kinerja?unit_id={cast.seksi.pk}&year={YEAR}"))
    assert (data["unit_id"], data["unit_name"], data["year"]) == (
        cast.seksi.pk,
        cast.seksi.name,
        YEAR,
    )
    assert data["counts"] == {"skp": 3, "rhk": 4, "orphans": 1, "uncovered": 1}
    [root, other] = data["roots"]
    assert (root["rhk_id"], root["owner_id"], root["uncovered"]) == (
        pohon_state["covered"],
        cast.kasi.pk,
        False,
    )
    [child] = root["children"]
    assert (child["rhk_id"], child["owner_id"], child["children"]) == (
        pohon_state["child"],
        cast.staf_a.pk,
        [],
    )
    assert (other["rhk_id"], other["uncovered"], other["orphan"]) == (
        pohon_state["lonely"],
        True,
        False,
    )
    [orphan] = data["orphans"]
    assert (orphan["rhk_id"], orphan["text"], orphan["orphan"]) == (
        pohon_state["orphan"],
        "Lepas",
        True,
    )
    # A pegawai sees the part of the tree they may read; the default year is this year.
    mine = ok(get(login("staf_a"), f"/pohon-kinerja?unit_id={cast.seksi.pk}"))
    assert mine["counts"]["skp"] == 1 and mine["year"] == YEAR
    assert_error(
        get(login("outsider"), f"/pohon-kinerja?unit_id={cast.seksi.pk}"), 404, "not_found"
    )
    assert_error(get(login("admin"), "/pohon-kinerja"), 422, "invalid")


def test_status_board(cast: Cast, login: Login, pohon_state: dict[str, int]) -> None:
    data = ok(get(login("admin"), f"/status-skp?unit_id={cast.bidang.pk}&year={YEAR}"))
    rows = {r["unit_id"]: r for r in data["rows"]}
    assert list(rows) == [cast.bidang.pk, cast.seksi.pk]
    assert rows[cast.seksi.pk] | {"unit_id": 0} == {
        "unit_id": 0,
        "unit_name": cast.seksi.name,
        "depth": 1,
        "pegawai": 3,
        "tanpa_skp": 0,
        "draf": 3,
        "diajukan": 0,
        "dikembalikan": 0,
        "disetujui": 0,
    }
    assert (rows[cast.bidang.pk]["pegawai"], rows[cast.bidang.pk]["tanpa_skp"]) == (1, 1)
    assert data["total"] == {
        "pegawai": 4,
        "tanpa_skp": 1,
        "draf": 3,
        "diajukan": 0,
        "dikembalikan": 0,
        "disetujui": 0,
    }


@pytest.mark.parametrize(
    ("who", "unit", "status"),
    [
        ("kasi", "seksi", 200),
        ("kabid", "seksi", 200),
        ("kadis", "seksi", 200),
        ("auditor", "dinkes", 200),
        ("superadmin", "seksi", 200),
        ("staf_a", "seksi", 403),
        ("kasi", "bidang", 403),
        ("kapus", "bidang", 403),
        ("outsider", "seksi", 404),
    ],
)
def test_who_may_see_the_status_board(
    cast: Cast, login: Login, who: str, unit: str, status: int
) -> None:
    response = get(login(who), f"/status-skp?unit_id={getattr(cast, unit).pk}")
    if status == 200:
        assert ok(response)["year"] == YEAR
    else:
        assert_error(response, status, {403: "forbidden", 404: "not_found"}[status])
