"""SKP pages: pohon kinerja and the status board."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.org.models import Jabatan
from kinerja.org.testing import Cast
from kinerja.plans import services

from .view_helpers import HX, YEAR, Login, ok, staf_plan, submitted


def test_pohon_nests_rhks_and_lists_the_unlinked(cast: Cast, login: Login) -> None:
    _skp, child, parent = staf_plan(cast)
    lonely = services.rhk_save(
        by=cast.user("kasi"), skp=parent.skp, jenis="UTAMA", text="Belum diturunkan"
    )
    staf_b = services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=YEAR)
    services.rhk_save(by=cast.user("staf_b"), skp=staf_b, jenis="UTAMA", text="Lepas sendiri")
    client = login("kasi")
    html = ok(client.get(reverse("plans:pohon")))
    assert f'<option value="{cast.seksi.pk}" selected>' in html  # the unit kasi heads
    tree = html[html.index('<ul class="pohon">') : html.index("RHK tidak terhubung</h3>")]
    assert tree.index(parent.text) < tree.index(child.text)
    assert '<li class="uncovered"><span class="node">Belum diturunkan</span>' in tree
    assert "Lepas sendiri" not in tree
    orphans = html[html.index("RHK tidak terhubung</h3>") :]
    assert "Lepas sendiri" in orphans and "Bambang Pamungkas" in orphans
    assert lonely.text not in orphans
    fragment = ok(
        client.get(reverse("plans:pohon"), {"unit": cast.dinkes.pk, "tahun": YEAR}, headers=HX)
    )
    assert "<html" not in fragment and fragment.lstrip().startswith("<h2>Dinas Kesehatan")


def test_pohon_defaults_and_limits(cast: Cast, login: Login) -> None:
    html = ok(login("staf_a").get(reverse("plans:pohon")))
    assert f'<option value="{cast.seksi.pk}" selected>' in html  # own unit
    assert "Belum ada RHK pada unit dan tahun ini." in html
    outsider_unit = Jabatan.objects.get(instansi=cast.kota).unit_id
    assert login("kasi").get(reverse("plans:pohon"), {"unit": outsider_unit}).status_code == 404
    assert login("kasi").get(reverse("plans:pohon"), {"unit": "x"}).status_code == 404
    html = ok(login("admin").get(reverse("plans:pohon")))
    assert f'<option value="{cast.pemda.pk}" selected>' in html


def test_status_board_counts_per_unit(cast: Cast, login: Login) -> None:
    submitted(cast)
    services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=YEAR)
    html = ok(login("kabid").get(reverse("plans:status")))
    assert f'<option value="{cast.bidang.pk}" selected>' in html
    assert f'<option value="{cast.dinkes.pk}"' not in html  # outside the subtree kabid heads
    row = html[html.index(f'data-unit="{cast.seksi.pk}"') :]
    row = row[: row.index("</tr>")]
    cells = [c.split(">")[-1] for c in row.split("</td>")[1:-1]]
    assert cells == ["3", "0", "2", "1", "0", "0"]  # pegawai, tanpa, draf, diajukan, …
    assert login("kabid").get(reverse("plans:status"), {"unit": cast.dinkes.pk}).status_code == 404
    fragment = ok(login("admin").get(reverse("plans:status"), {"unit": cast.dinkes.pk}, headers=HX))
    assert fragment.lstrip().startswith("<h2>Dinas Kesehatan") and "Puskesmas Sukamaju" in fragment


@pytest.mark.parametrize(
    ("name", "status"),
    [
        *[("kasi", 200), ("kadis", 200), ("admin", 200), ("auditor", 200), ("superadmin", 200)],
        *[("staf_a", 403), ("perawat", 403), ("outsider", 403)],
    ],
)
def test_status_board_is_for_heads_admins_and_auditors(
    login: Login, name: str, status: int
) -> None:
    assert login(name).get(reverse("plans:status")).status_code == status
