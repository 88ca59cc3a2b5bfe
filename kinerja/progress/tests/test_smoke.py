from decimal import Decimal

from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.progress import queries, services
from kinerja.progress.models import BuktiDukung, Realisasi

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_record_with_photo_retry_and_correction(cast: Cast) -> None:
    year = timezone.localdate().year
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    kasi_skp = plans.skp_create(by=kasi, pegawai=cast.kasi, year=year)
    top = plans.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer")
    [rhk] = plans.rhk_cascade(by=kasi, rhk=top, assignments=[(cast.staf_a, "Posyandu")])
    iki = plans.iki_save(
        by=staf,
        rhk=rhk,
        values={
            "text": "Posyandu",
            "aspek": "KUANTITAS",
            "target_value": "12",
            "target_unit": "kali",
        },
    )
    plans.skp_submit(by=staf, skp=rhk.skp)
    plans.skp_approve(by=kasi, skp=rhk.skp)
    today = timezone.localdate()
    first, created = services.realisasi_record(
        by=staf,
        iki=iki,
        day=today,
        value="3",
        uploads=[services.Upload("../../etc/foto kegiatan.png", PNG)],
        idempotency_key="k-1",
    )
    again, created_again = services.realisasi_record(
        by=staf,
        iki=iki,
        day=today,
        value="3",
        uploads=[services.Upload("../../etc/foto kegiatan.png", PNG)],
        idempotency_key="k-1",
    )
    assert created and not created_again and again.pk == first.pk
    assert Realisasi.objects.count() == 1
    bukti = BuktiDukung.objects.get()
    assert bukti.file_name == "foto kegiatan.png" and bukti.content_type == "image/png"
    services.realisasi_correct(by=staf, realisasi=first, value="4", reason="salah hitung")
    progress = queries.iki_progress(rhk.skp)[iki.pk]
    assert progress.realised == Decimal("4")
    assert progress.percent == Decimal("33.33")
