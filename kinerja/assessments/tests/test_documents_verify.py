"""Issuing documents and verifying them: stored bytes and SHA-256, re-download, a new issue after
the evaluation changed (the old code then says it was superseded), the public verification page
(no login, only the facts, hash comparison, size and rate limits), who may download, the API."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kinerja.accounts.services import api_token_create
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, NotFound, ServiceError
from kinerja.org.testing import Cast

from .. import services, services_documents, views_documents
from ..models import DokumenTerbit, Evaluasi
from ..testing import YEAR, evaluation_day, on_day
from .doc_helpers import BASE, final_evaluation, pdf_links, pdf_text


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def evaluasi(cast: Cast) -> Evaluasi:
    return final_evaluation(cast)


def pdf_url(evaluasi: Evaluasi, jenis: str = "evaluasi") -> str:
    return reverse("assessments:dokumen_pdf", args=[evaluasi.pk, jenis])


def verify_url(code: str) -> str:
    return reverse("verifikasi:dokumen", args=[code])


def issue(cast: Cast, evaluasi: Evaluasi, who: str = "staf_a", kind: str = "EVALUASI"):  # type: ignore[no-untyped-def]
    return services_documents.dokumen_issue(
        by=cast.user(who), evaluasi=evaluasi, kind=kind, base_url=BASE
    )


# --- issuing --------------------------------------------------------------------------------


def test_issue_stores_the_bytes_with_their_hash_and_the_facts(cast: Cast, evaluasi) -> None:  # type: ignore[no-untyped-def]
    issued = issue(cast, evaluasi)
    dokumen = issued.dokumen
    assert issued.created and len(dokumen.code) >= 24
    assert dokumen.sha256 == hashlib.sha256(issued.content).hexdigest()
    assert services_documents.stored_bytes(dokumen) == issued.content
    assert dokumen.size == len(issued.content) and dokumen.file.name.startswith("dokumen/")
    url = f"{BASE}/verifikasi/{dokumen.code}/"
    assert url in pdf_text(issued.content)
    assert url in pdf_links(issued.content)
    assert dokumen.facts == {
        "jenis": "EVALUASI KINERJA PEGAWAI",
        "nama": "Dewi Lestari",
        "nip": cast.staf_a.nip,
        "periode": f"TRIWULAN II {YEAR}",
        "predikat": "BAIK",
        "tanggal_terbit": dokumen.facts["tanggal_terbit"],
    }
    [event] = AuditEvent.objects.filter(action="dokumen_issue")
    assert event.target_id == str(evaluasi.pk) and event.new_values["sha256"] == dokumen.sha256
    again = issue(cast, evaluasi, who="kasi")
    assert not again.created and again.dokumen.pk == dokumen.pk
    assert again.content == issued.content
    assert AuditEvent.objects.filter(action="dokumen_issue").count() == 1


def test_codes_are_fresh_per_document_and_kind(cast: Cast, evaluasi) -> None:  # type: ignore[no-untyped-def]
    one = issue(cast, evaluasi).dokumen
    two = issue(cast, evaluasi, kind="DOKUMEN_EVALUASI").dokumen
    assert one.code != two.code and two.facts["jenis"] == "DOKUMEN EVALUASI KINERJA PEGAWAI"


def test_a_changed_evaluation_gets_a_new_document_and_the_old_code_says_superseded(  # type: ignore[no-untyped-def]
    cast: Cast, evaluasi, client: Client
) -> None:
    first = issue(cast, evaluasi).dokumen
    day = evaluation_day(evaluasi.skp, 2)
    with on_day(day):
        services.evaluasi_reopen(by=cast.user("kabid"), evaluasi=evaluasi, reason="Bukti baru")
        services.evaluasi_rate(
            by=cast.user("kasi"), evaluasi=evaluasi, rating_hasil="DI_ATAS",
            rating_perilaku="DI_ATAS",
        )  # fmt: skip
        services.evaluasi_finalize(by=cast.user("kasi"), evaluasi=evaluasi)
    second = issue(cast, evaluasi)
    assert second.created and second.dokumen.code != first.code
    assert second.dokumen.sha256 != first.sha256
    assert second.dokumen.facts["predikat"] == "SANGAT BAIK"
    assert "PREDIKAT KINERJA PEGAWAI SANGAT BAIK" in pdf_text(second.content)
    old_page = client.get(verify_url(first.code))
    assert old_page.status_code == 200
    assert "telah digantikan" in old_page.content.decode()
    assert "SANGAT BAIK" not in old_page.content.decode()  # never more than the old document
    new_page = client.get(verify_url(second.dokumen.code)).content.decode()
    assert "telah digantikan" not in new_page and "SANGAT BAIK" in new_page


def test_issue_refusals(cast: Cast, evaluasi, settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="Jenis dokumen"):
        issue(cast, evaluasi, kind="SKP")
    with pytest.raises(NotFound):
        issue(cast, evaluasi, who="staf_b")
    settings.KINERJA_PUBLIC_URL = ""
    with pytest.raises(ServiceError, match="KINERJA_PUBLIC_URL"):
        services_documents.dokumen_issue(
            by=cast.user("staf_a"), evaluasi=evaluasi, kind="EVALUASI", base_url=None
        )
    assert not DokumenTerbit.objects.exists()


def test_a_draft_is_never_issued(cast: Cast) -> None:
    draft = final_evaluation(cast, finalize=False)
    with pytest.raises(Conflict, match="sudah final"):
        issue(cast, draft)


def test_the_public_url_setting_wins_over_the_request_host(  # type: ignore[no-untyped-def]
    cast: Cast, evaluasi, settings, login
) -> None:
    settings.KINERJA_PUBLIC_URL = "https://kinerja.kab-contoh.go.id"
    response = login("staf_a").get(pdf_url(evaluasi))
    code = DokumenTerbit.objects.get().code
    assert f"https://kinerja.kab-contoh.go.id/verifikasi/{code}/" in pdf_text(response.content)


def test_without_the_setting_the_request_host_is_used(  # type: ignore[no-untyped-def]
    cast: Cast, evaluasi, settings, login
) -> None:
    settings.KINERJA_PUBLIC_URL = ""
    response = login("staf_a").get(pdf_url(evaluasi))
    code = DokumenTerbit.objects.get().code
    assert f"http://testserver/verifikasi/{code}/" in pdf_text(response.content)


# --- downloads and who may see them -----------------------------------------------------------


@pytest.mark.parametrize("who", ["staf_a", "kasi", "kabid", "kadis", "admin"])
def test_readers_download_the_issued_document(cast: Cast, evaluasi, login, who: str) -> None:  # type: ignore[no-untyped-def]
    response = login(who).get(pdf_url(evaluasi))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="EVALUASI-{cast.staf_a.nip}-{YEAR}-P2.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    dokumen = DokumenTerbit.objects.get()
    assert hashlib.sha256(response.content).hexdigest() == dokumen.sha256
    again = login(who).get(pdf_url(evaluasi))
    assert again.content == response.content and DokumenTerbit.objects.count() == 1


def test_the_auditor_reads_but_never_issues(cast: Cast, evaluasi, login) -> None:  # type: ignore[no-untyped-def]
    copy = login("auditor").get(pdf_url(evaluasi, "dokumen"))
    assert copy.status_code == 200 and not DokumenTerbit.objects.exists()
    text = pdf_text(copy.content)
    assert "SALINAN" in text and "/verifikasi/" not in text and "Dewi Lestari" in text
    issued = login("staf_a").get(pdf_url(evaluasi, "dokumen"))
    served = login("auditor").get(pdf_url(evaluasi, "dokumen"))
    assert served.content == issued.content
    assert hashlib.sha256(served.content).hexdigest() == DokumenTerbit.objects.get().sha256


@pytest.mark.parametrize("who", ["staf_b", "perawat", "kapus", "outsider"])
def test_others_get_404(cast: Cast, evaluasi, login, who: str) -> None:  # type: ignore[no-untyped-def]
    client = login(who)
    for jenis in ("evaluasi", "dokumen"):
        assert client.get(pdf_url(evaluasi, jenis)).status_code == 404
    assert not DokumenTerbit.objects.exists()


def test_anonymous_unknown_kind_and_draft_download(cast: Cast, login, client: Client) -> None:  # type: ignore[no-untyped-def]
    draft = final_evaluation(cast, finalize=False)
    response = client.get(pdf_url(draft))
    assert response.status_code == 302 and "/akun/" in response["Location"]
    staf = login("staf_a")
    assert staf.get(reverse("assessments:dokumen_pdf", args=[draft.pk, "skp"])).status_code == 404
    assert staf.get(pdf_url(draft)).status_code == 403  # the rated pegawai waits for the final
    copy = login("kasi").get(pdf_url(draft))
    assert copy.status_code == 200
    text = pdf_text(copy.content)
    assert "DRAF" in text and "Kode verifikasi" not in text
    assert not DokumenTerbit.objects.exists()


# --- the public verification page ------------------------------------------------------------


def test_verify_page_shows_only_the_facts_without_login(  # type: ignore[no-untyped-def]
    cast: Cast, evaluasi, client: Client
) -> None:
    dokumen = issue(cast, evaluasi).dokumen
    response = client.get(verify_url(dokumen.code))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in ("Kode verifikasi ini sah", "Dewi Lestari", cast.staf_a.nip,
                  f"TRIWULAN II {YEAR}", "BAIK", dokumen.sha256, 'type="file"'):  # fmt: skip
        assert shown in page, shown
    for hidden in ("Agus Salim", "Pengelola Layanan", "EKSPEKTASI", "Seksi Pelayanan Primer"):
        assert hidden not in page, hidden
    assert response["X-Robots-Tag"] == "noindex"


def test_unknown_code_is_a_clear_404(client: Client, db: None) -> None:
    response = client.get(verify_url("tidak-ada-kode-seperti-ini"))
    assert response.status_code == 404
    assert "Kode verifikasi ini tidak dikenal" in response.content.decode()


def test_upload_compares_the_hash(cast: Cast, evaluasi, client: Client) -> None:  # type: ignore[no-untyped-def]
    issued = issue(cast, evaluasi)
    url = verify_url(issued.dokumen.code)
    same = client.post(url, {"berkas": SimpleUploadedFile("a.pdf", issued.content)})
    assert same.status_code == 200 and "Cocok:" in same.content.decode()
    altered = issued.content.replace(b"Dewi", b"Dewa", 1) + b"\n%"
    other = client.post(url, {"berkas": SimpleUploadedFile("b.pdf", altered)})
    page = other.content.decode()
    assert other.status_code == 200 and "Tidak cocok:" in page
    assert hashlib.sha256(altered).hexdigest() in page


def test_upload_size_limit_and_missing_file(  # type: ignore[no-untyped-def]
    cast: Cast, evaluasi, client: Client, monkeypatch
) -> None:
    issued = issue(cast, evaluasi)
    url = verify_url(issued.dokumen.code)
    monkeypatch.setattr(views_documents, "MAX_VERIFY_BYTES", 1024 * 1024)
    big = client.post(url, {"berkas": SimpleUploadedFile("c.pdf", b"0" * (1024 * 1024 + 1))})
    assert big.status_code == 400 and "Berkas terlalu besar (maksimal 1 MB)" in big.content.decode()
    assert client.post(url, {}).status_code == 400


def test_verification_is_rate_limited_per_client(  # type: ignore[no-untyped-def]
    cast: Cast, evaluasi, client: Client, monkeypatch
) -> None:
    code = issue(cast, evaluasi).dokumen.code
    monkeypatch.setattr(views_documents, "VERIFY_LOOKUPS", 3)
    statuses = [client.get(verify_url(code)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Terlalu banyak permintaan" in client.get(verify_url(code)).content.decode()
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert elsewhere.get(verify_url(code)).status_code == 200


# --- API ------------------------------------------------------------------------------------


def bearer(cast: Cast, who: str) -> Client:
    _token, raw = api_token_create(by=cast.user(who), name="dokumen")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_api_download_and_public_lookup(cast: Cast, evaluasi) -> None:  # type: ignore[no-untyped-def]
    response = bearer(cast, "kasi").get(f"/api/v1/penilaian/evaluasi/{evaluasi.pk}/dokumen/dokumen")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    dokumen = DokumenTerbit.objects.get()
    assert hashlib.sha256(response.content).hexdigest() == dokumen.sha256
    lookup = Client().get(f"/api/v1/verifikasi/{dokumen.code}")
    assert lookup.status_code == 200
    assert lookup.json() == {
        "code": dokumen.code, "jenis": "DOKUMEN EVALUASI KINERJA PEGAWAI", "nama": "Dewi Lestari",
        "nip": cast.staf_a.nip, "periode": f"TRIWULAN II {YEAR}", "predikat": "BAIK",
        "tanggal_terbit": dokumen.facts["tanggal_terbit"], "sha256": dokumen.sha256,
        "superseded": False, "superseded_on": None,
    }  # fmt: skip
    missing = Client().get("/api/v1/verifikasi/salah")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_api_refusals(cast: Cast, evaluasi) -> None:  # type: ignore[no-untyped-def]
    peer = bearer(cast, "staf_b")
    response = peer.get(f"/api/v1/penilaian/evaluasi/{evaluasi.pk}/dokumen/evaluasi")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    owner = bearer(cast, "staf_a")
    bad = owner.get(f"/api/v1/penilaian/evaluasi/{evaluasi.pk}/dokumen/lain")
    assert bad.status_code == 400
    assert (
        Client().get(f"/api/v1/penilaian/evaluasi/{evaluasi.pk}/dokumen/evaluasi").status_code
        == 401
    )
    rekap = f"/api/v1/penilaian/unit/{cast.seksi.pk}/rekap?year={YEAR}&period=2"
    assert peer.get(rekap).status_code == 404
    assert bearer(cast, "auditor").get(rekap).status_code == 200
