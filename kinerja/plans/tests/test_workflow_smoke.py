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
