from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Rhk, StatusSkp


def test_draft_cascade_submit_return_resubmit_approve(cast: Cast) -> None:
    year = timezone.localdate().year
    kasi = cast.user("kasi")
    staf = cast.user("staf_a")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=year)
    kasi_rhk = services.rhk_save(
        by=kasi, skp=kasi_skp, jenis="UTAMA", text="Meningkatnya cakupan layanan primer"
    )
    [child] = services.rhk_cascade(
        by=kasi, rhk=kasi_rhk, assignments=[(cast.staf_a, "Terlaksananya posyandu")]
    )
    skp = child.skp
    assert skp.pegawai_id == cast.staf_a.pk and skp.rater_id == cast.kasi.pk
    services.iki_save(
        by=staf,
        rhk=child,
        values={
            "text": "Jumlah posyandu terlaksana",
            "aspek": "KUANTITAS",
            "target_value": "12",
            "target_unit": "kegiatan",
        },
    )
    services.skp_submit(by=staf, skp=skp)
    services.skp_return(by=kasi, skp=skp, note="Tambahkan aspek waktu")
    assert skp.status == StatusSkp.DIKEMBALIKAN
    services.iki_save(
        by=staf,
        rhk=child,
        values={
            "text": "Waktu pelaksanaan",
            "aspek": "WAKTU",
            "target_value": "12",
            "target_unit": "bulan",
        },
    )
    services.skp_submit(by=staf, skp=skp)
    services.skp_approve(by=kasi, skp=skp)
    assert skp.status == StatusSkp.DISETUJUI
    revised = services.skp_revise(by=staf, skp=skp)
    assert revised.version == 2 and revised.status == StatusSkp.DRAFT
    assert Rhk.objects.get(skp=revised).parent_id == kasi_rhk.pk


def test_pohon_and_status_board_show_the_cascade(cast: Cast) -> None:
    from kinerja.plans import queries

    year = timezone.localdate().year
    kasi = cast.user("kasi")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=year)
    kasi_rhk = services.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer")
    lonely = services.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Belum diturunkan")
    services.rhk_cascade(by=kasi, rhk=kasi_rhk, assignments=[(cast.staf_a, "")])
    staf_skp = services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=year)
    services.rhk_save(by=cast.user("staf_b"), skp=staf_skp, jenis="UTAMA", text="Lepas")
    pohon = queries.pohon_kinerja(cast.admin, cast.seksi, year)
    [root, other] = pohon.roots
    assert root.rhk_id == kasi_rhk.pk and [c.owner_id for c in root.children] == [cast.staf_a.pk]
    assert other.rhk_id == lonely.pk and other.uncovered
    assert [o.text for o in pohon.orphans] == ["Lepas"]
    board = queries.status_board(cast.admin, cast.bidang, year)
    seksi_row = next(r for r in board if r.unit_id == cast.seksi.pk)
    assert (seksi_row.pegawai, seksi_row.draf, seksi_row.tanpa_skp) == (3, 3, 0)
    bidang_row = next(r for r in board if r.unit_id == cast.bidang.pk)
    assert (bidang_row.pegawai, bidang_row.tanpa_skp) == (1, 1)
