from django.core.management import call_command
from django.test import Client

from kinerja.audit.verify import verify_chains
from kinerja.org.demo import DEMO_CODE
from kinerja.org.models import Instansi
from kinerja.surveys import public_queries
from kinerja.surveys.models import Layanan, RencanaTindakLanjut, SkmResponse


def test_seed_demo_adds_layanan_answers_and_a_follow_up(db: None, client: Client) -> None:
    call_command("seed_demo", "--pegawai", "400", verbosity=0)
    kab = Instansi.objects.get(code=DEMO_CODE)
    layanan = list(Layanan.objects.filter(instansi=kab))
    assert len(layanan) >= 3
    assert 150 <= SkmResponse.objects.filter(instansi=kab).count() <= 1000
    page = public_queries.public_page(kab.pk)
    assert page.total is not None and page.total.result is not None
    assert [r for _k, r in page.trend if r is not None], "two semesters with figures"
    assert RencanaTindakLanjut.objects.filter(instansi=kab, done_at__isnull=False).exists()
    open_rtl = RencanaTindakLanjut.objects.filter(instansi=kab, done_at__isnull=True).get()
    jabatan = open_rtl.owner.jabatan
    assert jabatan is not None and not jabatan.is_unit_head  # shown on the owner's own list
    assert client.get(f"/transparansi/{DEMO_CODE}/").status_code == 200
    assert client.get(f"/s/{layanan[0].code}/").status_code == 200
    checked, breaks = verify_chains()
    assert checked > 0 and breaks == []
