"""Downloading evidence: who may (everyone who may read the SKP) and who may not (a peer, a
sibling unit, another instansi: 404, so existence is not revealed), and how it is served
(always an attachment, with the type decided at upload, never sniffed, sandboxed, not cached)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.org.testing import Cast
from kinerja.progress import services
from kinerja.progress.models import BuktiDukung
from kinerja.progress.services import Upload
from kinerja.progress.tests.test_rules import PDF, PNG
from kinerja.progress.tests.test_services import TODAY, Plan, fix_clock, make_plan

Login = Callable[[str], Client]


@pytest.fixture
def evidence(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> dict[str, BuktiDukung]:
    fix_clock(monkeypatch)
    plan: Plan = make_plan(cast)
    entry, _ = services.realisasi_record(
        by=cast.user("staf_a"),
        iki=plan.iki,
        day=TODAY,
        value="2",
        uploads=[Upload("Foto Posyandu.png", PNG), Upload("../laporan.html", PDF)],
        links=["https://drive.example.go.id/bukti/7"],
    )
    found = {b.file_name or "link": b for b in entry.bukti.all()}
    assert set(found) == {"Foto Posyandu.png", "laporan.pdf", "link"}
    return found


def url(bukti: BuktiDukung) -> str:
    return reverse("progress:bukti_download", args=[bukti.pk])


@pytest.mark.parametrize(
    "who", ["staf_a", "kasi", "kabid", "kadis", "admin", "auditor", "superadmin"]
)
def test_who_may_read_the_skp_downloads(
    login: Login, evidence: dict[str, BuktiDukung], who: str
) -> None:
    bukti = evidence["Foto Posyandu.png"]
    response = login(who).get(url(bukti))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="Foto Posyandu.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(PNG))


def test_a_pdf_keeps_its_sniffed_type_and_safe_name(
    login: Login, evidence: dict[str, BuktiDukung]
) -> None:
    response = login("kasi").get(url(evidence["laporan.pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'


@pytest.mark.parametrize("who", ["staf_b", "kapus", "perawat", "outsider"])
def test_a_peer_or_an_outsider_gets_404(
    login: Login, evidence: dict[str, BuktiDukung], who: str
) -> None:
    for bukti in evidence.values():
        assert login(who).get(url(bukti)).status_code == 404


def test_a_link_is_not_downloaded_here(login: Login, evidence: dict[str, BuktiDukung]) -> None:
    assert login("staf_a").get(url(evidence["link"])).status_code == 404


def test_an_unknown_id_is_404(login: Login, evidence: dict[str, BuktiDukung]) -> None:
    missing = max(b.pk for b in evidence.values()) + 100
    assert (
        login("staf_a").get(reverse("progress:bukti_download", args=[missing])).status_code == 404
    )


def test_a_file_gone_from_storage_is_404(login: Login, evidence: dict[str, BuktiDukung]) -> None:
    bukti = evidence["Foto Posyandu.png"]
    bukti.file.storage.delete(bukti.file.name or "")
    assert login("staf_a").get(url(bukti)).status_code == 404


def test_anonymous_is_sent_to_login(client: Client, evidence: dict[str, BuktiDukung]) -> None:
    response = client.get(url(evidence["Foto Posyandu.png"]))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_only_get(login: Login, evidence: dict[str, BuktiDukung]) -> None:
    assert login("staf_a").post(url(evidence["Foto Posyandu.png"])).status_code == 405
