"""`seed_demo` plans SKPs: cascaded RHKs, mixed statuses, and the demo logins' story."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from kinerja.accounts.models import User
from kinerja.audit.models import AuditEvent
from kinerja.org import demo, demo_plan
from kinerja.org.hierarchy import rater_id_for
from kinerja.org.models import Instansi, Pegawai, UnitKerja
from kinerja.plans import queries, services
from kinerja.plans.demo import demo_year
from kinerja.plans.models import EkspektasiKhusus, Iki, Lampiran, Rhk, Skp, StatusSkp

N = 120


@pytest.fixture
def output(db: None) -> str:
    out = io.StringIO()
    call_command("seed_demo", pegawai=N, stdout=out)
    return out.getvalue()


def skp_of(nip: str) -> Skp:
    return Skp.objects.get(pegawai__nip=nip, year=demo_year(), is_current=True)


def test_skps_of_the_current_year_with_mixed_statuses(output: str) -> None:
    assert f"SKP tahun {demo_year()}" in output
    kab = Instansi.objects.get(code=demo.DEMO_CODE)
    skps = Skp.objects.filter(instansi=kab, year=demo_year())
    statuses = Counter(skps.values_list("status", flat=True))
    assert set(statuses) == set(StatusSkp.values)
    assert statuses[StatusSkp.DISETUJUI] > sum(statuses.values()) / 2
    pegawai = Pegawai.objects.filter(instansi=kab).count()
    assert 0 < pegawai - skps.count() < pegawai / 5  # some pegawai have no SKP yet
    # Every head of a dinas, bidang and seksi has one.
    heads = Pegawai.objects.filter(
        instansi=kab, jabatan__is_unit_head=True, jabatan__unit__kind__in=["DINAS", "BIDANG"]
    )
    assert heads.exists() and not heads.exclude(skp__year=demo_year()).exists()
    assert not skps.exclude(unit_path=F("jabatan__unit__path")).exists()
    assert Iki.objects.filter(rhk__skp__in=skps).values("aspek").distinct().count() == 3
    assert EkspektasiKhusus.objects.filter(skp__in=skps).exists()
    assert Lampiran.objects.filter(skp__in=skps).exists()
    assert AuditEvent.objects.filter(action="seed_demo_skp").count() == 1


def test_raters_and_links_follow_the_jabatan_tree(output: str) -> None:
    skps = list(Skp.objects.filter(year=demo_year()).select_related("pegawai"))
    for skp in skps:
        assert skp.rater_id == rater_id_for(skp.pegawai), skp.pegawai.nip
    linked = Rhk.objects.filter(skp__year=demo_year(), parent__isnull=False)
    assert linked.count() > len(skps)
    assert not linked.exclude(parent__skp__pegawai_id=F("skp__rater_id")).exists()
    assert not linked.exclude(parent__skp__year=F("skp__year")).exists()
    # Only JPT heads (rated by the Bupati) have unlinked RHK Utama.
    unlinked = Rhk.objects.filter(skp__year=demo_year(), parent__isnull=True)
    assert set(unlinked.values_list("skp__jabatan__jenis", flat=True)) == {"JPT"}


def test_the_demo_logins_tell_the_story(output: str) -> None:
    kasi, staf = skp_of(demo_plan.NIP_PENILAI), skp_of(demo_plan.NIP_PEGAWAI)
    pppk, kadis = skp_of(demo_plan.NIP_PPPK), skp_of(demo_plan.NIP_PIMPINAN)
    assert (kadis.status, kasi.status) == (StatusSkp.DISETUJUI, StatusSkp.DISETUJUI)
    assert staf.status == StatusSkp.DIAJUKAN and staf.rater_id == kasi.pegawai_id
    assert pppk.status == StatusSkp.DIKEMBALIKAN and pppk.return_note
    assert pppk.rater_id == kasi.pegawai_id
    pelapor = skp_of(demo_plan.NIP_PELAPOR)  # the login that records realisasi
    assert pelapor.status == StatusSkp.DISETUJUI and pelapor.rater_id == kasi.pegawai_id
    kasi_rhk = set(kasi.rhk.values_list("id", flat=True))
    assert set(staf.rhk.values_list("parent_id", flat=True)) <= kasi_rhk
    assert "kesehatan" in " ".join(kadis.rhk.values_list("text", flat=True)).lower()


def test_the_services_accept_the_demo_data(output: str) -> None:
    for skp in Skp.objects.filter(status=StatusSkp.DISETUJUI).select_related("jabatan"):
        assert services.skp_problems(skp) == [], skp.pegawai_id
    kasi = Pegawai.objects.get(nip=demo_plan.NIP_PENILAI)
    assert kasi.user is not None
    staf = skp_of(demo_plan.NIP_PEGAWAI)
    services.skp_approve(by=kasi.user, skp=staf)
    assert skp_of(demo_plan.NIP_PEGAWAI).status == StatusSkp.DISETUJUI
    pppk_user = Pegawai.objects.get(nip=demo_plan.NIP_PPPK).user
    assert pppk_user is not None
    pppk = skp_of(demo_plan.NIP_PPPK)
    # New rows continue after the loader's explicit ids.
    rhk = services.rhk_save(
        by=pppk_user,
        skp=pppk,
        jenis="TAMBAHAN",
        text="Terlaksananya pendampingan mahasiswa praktik",
    )
    assert rhk.pk > Rhk.objects.exclude(pk=rhk.pk).order_by("-pk").values_list("pk")[0][0]
    services.iki_save(
        by=pppk_user,
        rhk=rhk,
        values={
            "text": "Jumlah mahasiswa",
            "aspek": "KUANTITAS",
            "target_value": "4",
            "target_unit": "orang",
        },
    )
    assert services.skp_submit(by=pppk_user, skp=pppk).status == StatusSkp.DIAJUKAN


def test_pohon_and_status_board_show_the_demo(output: str, client: Client) -> None:
    kab = Instansi.objects.get(code=demo.DEMO_CODE)
    dinkes = UnitKerja.objects.get(instansi=kab, code="DINKES")
    user = User.objects.get(username="admin")
    pohon = queries.pohon_kinerja(user, dinkes, demo_year())
    assert len(pohon.roots) == 2 and not pohon.orphans
    assert any(node.children for node in pohon.roots)
    rows = queries.status_board(
        user, UnitKerja.objects.get(instansi=kab, code="PEMDA"), demo_year()
    )
    assert sum(r.disetujui for r in rows) > sum(r.tanpa_skp for r in rows) > 0
    client.force_login(user)
    page = client.get(f"/skp/pohon/?unit={dinkes.pk}&tahun={demo_year()}")
    html = page.content.decode()
    assert page.status_code == 200 and pohon.roots[0].text in html
    # The tree is rendered flat (PohonRow.closes): the nested lists must still balance.
    assert html.count("<ul") == html.count("</ul>") and html.count("<li>") + html.count(
        "<li "
    ) == html.count("</li>")
    depth = max(
        html.count("<ul", 0, i) - html.count("</ul>", 0, i) for i in range(0, len(html), 97)
    )
    assert depth >= 4  # kepala dinas > kabid > kasi > staff
