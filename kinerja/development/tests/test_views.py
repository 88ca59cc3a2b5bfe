"""The tindak lanjut pages: case list with the scan, case -> session, B.1.8 and B.1.9 forms and
their PDFs, catalogue, a pegawai's recommendations/plan/JP, unit views with the XLSX export,
follow-up records; who gets a 404; query counts of the lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.assessments.testing import YEAR, approved_skp, evaluation, realisasi
from kinerja.org.testing import Cast
from kinerja.progress.tests.test_rules import PDF

from .. import guards, rules, services
from ..models import CatatanJp, Pelatihan, RencanaPengembangan, Sesi
from .helpers import a_case

Login = Callable[[str], Client]
DAY = date(YEAR, 11, 30)


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_admin_scans_and_the_rater_sees_the_case(cast: Cast, login: Login) -> None:
    approved_skp(cast, "staf_b")
    admin = login("admin")
    response = admin.post("/pengembangan/", {"year": YEAR, "period": 1}, follow=True)
    assert "1 SKP diperiksa, 2 kasus baru." in response.content.decode()
    page = login("kasi").get("/pengembangan/").content.decode()
    assert "Bambang Pamungkas" in page and "Realisasi periode yang berakhir kosong" in page
    assert "Bambang Pamungkas" not in login("staf_a").get("/pengembangan/").content.decode()
    assert login("kasi").post("/pengembangan/", {"year": YEAR, "period": 1}).status_code == 404


def test_case_to_session_to_b18_and_b19_with_pdfs(cast: Cast, login: Login) -> None:
    kasus = a_case(cast)
    kasi = login("kasi")
    assert "sesi-form" in kasi.get(f"/pengembangan/kasus/{kasus.pk}/").content.decode()
    response = kasi.post(
        f"/pengembangan/kasus/{kasus.pk}/",
        {
            "method": "COACHING",
            "date": f"{YEAR}-04-15",
            "notes": "Laporan tertunda",
            "aksi_1": "Jadwal mingguan",
            "tenggat_1": f"{YEAR}-04-30",
        },
    )
    sesi = Sesi.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pengembangan/sesi/{sesi.pk}/"
    missing = kasi.post(
        f"/pengembangan/kasus/{kasus.pk}/",
        {
            "method": "COACHING",
            "date": f"{YEAR}-04-15",
            "notes": "x",
            "aksi_1": "Tanpa tenggat",
        },
    )
    assert "Isi tenggat aksi ini." in missing.content.decode()

    staf = login("staf_a")
    page = staf.get(f"/pengembangan/sesi/{sesi.pk}/").content.decode()
    assert "b18-form" in page and "b19-form" not in page
    answers = {f"s{i}": "4" for i in range(1, 10)}
    bad = staf.post(
        f"/pengembangan/sesi/{sesi.pk}/",
        {"form": "b18", "place": "X", "date": f"{YEAR}-04-16", **{**answers, "s9": "7"}},
    )
    assert bad.status_code == 200 and not hasattr(Sesi.objects.get(), "b18")
    staf.post(
        f"/pengembangan/sesi/{sesi.pk}/",
        {"form": "b18", "place": "Sukamaju", "date": f"{YEAR}-04-16", **answers},
    )
    pdf = staf.get(f"/pengembangan/sesi/{sesi.pk}/b18.pdf")
    text = pdf_text(pdf.content)
    assert "UMPAN BALIK PELAKSANAAN BIMBINGAN KINERJA" in text and "Dewi Lestari" in text
    assert "Saya merasa diperhatikan dan dipahami" in text and "Sangat setuju" in text
    assert "Agus Salim" in text  # the pejabat penilai

    kabid = login("kabid")
    assert "b19-form" in kabid.get(f"/pengembangan/sesi/{sesi.pk}/").content.decode()
    kabid.post(
        f"/pengembangan/sesi/{sesi.pk}/",
        {
            "form": "b19",
            "place": "Dinkes",
            "date": f"{YEAR}-04-20",
            "kompetensi_1": "Manajemen waktu",
            "nilai_1": "3",
            "alasan_1": "Mulai tepat waktu",
        },
    )
    text = pdf_text(kabid.get(f"/pengembangan/sesi/{sesi.pk}/b19.pdf").content)
    assert "EVALUASI KOMPETENSI PEGAWAI" in text and "Manajemen waktu" in text
    assert "Sri Rahayu" in text


@pytest.mark.parametrize("who", ["staf_b", "auditor", "kapus", "outsider"])
def test_others_get_404_on_case_and_session_pages(cast: Cast, login: Login, who: str) -> None:
    kasus = a_case(cast)
    sesi = services.sesi_record(
        by=cast.user("kasi"),
        pegawai=cast.staf_a,
        kasus=kasus,
        method="COACHING",
        day=date(YEAR, 4, 15),
        notes="Rahasia",
    )
    client = login(who)
    for url in (
        f"/pengembangan/kasus/{kasus.pk}/",
        f"/pengembangan/sesi/{sesi.pk}/",
        f"/pengembangan/sesi/{sesi.pk}/b18.pdf",
    ):
        assert client.get(url).status_code == 404, url


def test_recommendation_accepted_and_completed_with_a_certificate(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "3")
    evaluation(cast, "staf_a", 1, "DI_BAWAH", "SESUAI", finalize=True)
    admin = login("admin")
    admin.post(
        "/pengembangan/pelatihan/",
        {"name": "Manajemen waktu", "jp": "8", "mode": "E_LEARNING", "for_hasil": "on"},
    )
    assert "Manajemen waktu" in login("staf_b").get("/pengembangan/pelatihan/").content.decode()
    assert login("kasi").post("/pengembangan/pelatihan/", {"name": "X"}).status_code == 403

    staf = login("staf_a")
    url = f"/pengembangan/pegawai/{cast.staf_a.pk}/?tahun={YEAR}"
    page = staf.get(url).content.decode()
    assert "rating hasil kerja di bawah ekspektasi" in page and "Terima ke rencana" in page
    item = Pelatihan.objects.get()
    staf.post(url, {"action": "terima", "pelatihan": item.pk, "reason": "hasil"})
    rencana = RencanaPengembangan.objects.get()
    response = staf.post(
        url,
        {
            "action": "jp",
            "rencana": rencana.pk,
            "date": f"{YEAR}-09-01",
            "certificate": SimpleUploadedFile("sertifikat.pdf", PDF),
        },
    )
    assert response.status_code == 302
    record = CatatanJp.objects.get()
    assert record.jp == 8 and record.rencana_id == rencana.pk
    page = staf.get(url).content.decode()
    assert "8,0 / 20,0 JP" in page and "kurang 12,0 JP" in page and "Selesai" in page
    refused = staf.post(
        url,
        {
            "action": "jp",
            "title": "X",
            "mode": "KLASIKAL",
            "jp": "2",
            "date": f"{YEAR}-09-01",
            "certificate": SimpleUploadedFile("x.html", b"<html>"),
        },
    )
    assert "Jenis berkas tidak diizinkan" in refused.content.decode()
    assert login("staf_b").get(url).status_code == 404
    assert login("kasi").get(url).status_code == 200


def test_unit_views_and_the_xlsx_export(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "6")
    evaluation(cast, "staf_a", 1, "DI_ATAS", "DI_ATAS", finalize=True)
    kabid = login("kabid")
    with CaptureQueriesContext(connection) as jp_queries:
        page = kabid.get(f"/pengembangan/unit/{cast.seksi.pk}/jp/?tahun={YEAR}")
    assert page.status_code == 200 and "Dewi Lestari" in page.content.decode()
    with CaptureQueriesContext(connection) as more:
        kabid.get(f"/pengembangan/unit/{cast.bidang.pk}/jp/?tahun={YEAR}&semua=1")
    assert len(more) == len(jp_queries)  # no query per pegawai
    page = kabid.get(f"/pengembangan/unit/{cast.seksi.pk}/penghargaan/?tahun={YEAR}")
    assert "Predikat Sangat Baik" in page.content.decode()
    xlsx = kabid.get(f"/pengembangan/unit/{cast.seksi.pk}/penghargaan/?tahun={YEAR}&format=xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[3]][1:3] == ["Dewi Lestari", cast.staf_a.nip]
    assert login("staf_b").get(f"/pengembangan/unit/{cast.seksi.pk}/jp/").status_code == 404
    assert login("kapus").get(f"/pengembangan/unit/{cast.seksi.pk}/penghargaan/").status_code == 404


def test_follow_up_page_is_for_admin_and_auditor(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_b")
    realisasi(cast, plan, 1, "1")
    low = evaluation(cast, "staf_b", 1, "DI_BAWAH", "DI_BAWAH", finalize=True)
    admin = login("admin")
    admin.post(
        "/pengembangan/tindak-lanjut/",
        {"evaluasi": low.pk, "action": "Dibahas", "date": f"{YEAR}-05-02"},
    )
    assert "Dibahas" in login("auditor").get("/pengembangan/tindak-lanjut/").content.decode()
    for who in ("kasi", "kadis", "staf_b"):
        assert login(who).get("/pengembangan/tindak-lanjut/").status_code == 404


def test_case_list_query_count_does_not_grow(cast: Cast, login: Login) -> None:
    a_case(cast)
    kasi = login("kasi")
    with CaptureQueriesContext(connection) as one:
        kasi.get("/pengembangan/")
    plan = approved_skp(cast, "staf_b")
    services.kasus_open(by=None, skp=plan.skp, period=1, reason=rules.REALISASI_KOSONG, data={})
    with CaptureQueriesContext(connection) as two:
        kasi.get("/pengembangan/")
    assert len(two) == len(one)


def test_agreed_actions_are_marked_done_on_the_session_page(cast: Cast, login: Login) -> None:
    kasus = a_case(cast)
    sesi = services.sesi_record(
        by=cast.user("kasi"),
        pegawai=cast.staf_a,
        kasus=kasus,
        method="COACHING",
        day=date(YEAR, 4, 15),
        notes="Catatan",
        actions=[("Kirim laporan", date(YEAR, 4, 30))],
    )
    aksi = sesi.aksi.get()
    assert (
        login("kabid")
        .post(f"/pengembangan/sesi/{sesi.pk}/", {"form": "aksi", "aksi": aksi.pk})
        .status_code
        == 403
    )
    page = login("staf_a").get(f"/pengembangan/sesi/{sesi.pk}/").content.decode()
    assert "Tandai selesai" in page
    login("staf_a").post(f"/pengembangan/sesi/{sesi.pk}/", {"form": "aksi", "aksi": aksi.pk})
    aksi.refresh_from_db()
    assert aksi.done_on == DAY
    # A second tap (a stale page) is a message on the session page, not a 500.
    again = login("staf_a").post(
        f"/pengembangan/sesi/{sesi.pk}/", {"form": "aksi", "aksi": aksi.pk}
    )
    assert again.status_code == 302
    page = login("staf_a").get(again["Location"]).content.decode()
    assert "Aksi ini sudah ditandai selesai." in page


def test_a_twice_accepted_recommendation_and_odd_years_answer_with_a_message(
    cast: Cast, login: Login
) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "3")
    evaluation(cast, "staf_a", 1, "DI_BAWAH", "SESUAI", finalize=True)
    login("admin").post(
        "/pengembangan/pelatihan/",
        {"name": "Manajemen waktu", "jp": "8", "mode": "E_LEARNING", "for_hasil": "on"},
    )
    item = Pelatihan.objects.get()
    staf = login("staf_a")
    url = f"/pengembangan/pegawai/{cast.staf_a.pk}/?tahun={YEAR}"
    form = {"action": "terima", "pelatihan": item.pk, "reason": "hasil"}
    assert staf.post(url, form).status_code == 302
    again = staf.post(url, form)
    assert again.status_code == 302 and RencanaPengembangan.objects.count() == 1
    assert "sudah ada di rencana pengembangan" in staf.get(again["Location"]).content.decode()
    for odd in ("0", "-1", "99999", "abc"):
        assert staf.get(f"/pengembangan/pegawai/{cast.staf_a.pk}/?tahun={odd}").status_code == 200
    admin = login("admin")
    for odd in ("0", "-1", "99999", "abc"):
        awards = f"/pengembangan/unit/{cast.seksi.pk}/penghargaan/?tahun={odd}"
        assert admin.get(awards).status_code == 200, odd
