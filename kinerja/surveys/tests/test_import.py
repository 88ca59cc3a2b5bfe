"""Paper questionnaire import: all or nothing, row-numbered errors, dry run, XLSX, the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Refused, ServiceError
from kinerja.org.testing import Cast
from kinerja.surveys import services
from kinerja.surveys.importing import AlreadyImported, SkmImportResult, answered_at, skm_import
from kinerja.surveys.models import SkmResponse, Sumber, SurveyPeriod
from kinerja.surveys.periods import PeriodKey
from kinerja.surveys.petugas_queries import petugas_year
from kinerja.surveys.queries import petugas_feedback

HEADER = "u1,u2,u3,u4,u5,u6,u7,u8,u9,usia,jenis_kelamin,pendidikan,pekerjaan,saran,nip_petugas"


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


GOOD = "4,4,3,3,4,4,4,2,3,34,P,S1,SWASTA,Ruang tunggu sempit,"


def run(
    cast: Cast,
    period: SurveyPeriod,
    content: bytes,
    *,
    dry_run: bool = False,
    name: str = "kertas.csv",
) -> SkmImportResult:
    return skm_import(
        by=cast.admin,
        layanan=period.layanan,
        period=period,
        file_name=name,
        content=content,
        dry_run=dry_run,
    )


def test_import_writes_all_rows_with_one_audit_event(cast: Cast, period: SurveyPeriod) -> None:
    content = csv(GOOD, f"1,2,3,4,1,2,3,4,1,61,laki-laki,D1/D2/D3,pns,,{cast.perawat.nip}")
    result = run(cast, period, content)
    assert result.ok and result.rows == 2 and not result.dry_run
    rows = list(SkmResponse.objects.order_by("usia"))
    assert [r.source for r in rows] == [Sumber.PAPER, Sumber.PAPER]
    assert rows[1].petugas_id == cast.perawat.pk and rows[1].pendidikan == "D3"
    assert rows[1].jenis_kelamin == "L" and rows[0].saran == "Ruang tunggu sempit"
    event = AuditEvent.objects.get(action="skm_import")
    assert event.new_values["rows"] == 2


def test_dry_run_writes_nothing(cast: Cast, period: SurveyPeriod) -> None:
    result = run(cast, period, csv(GOOD, GOOD), dry_run=True)
    assert result.ok and result.rows == 2 and result.dry_run
    assert len(result.preview) == 2
    assert not SkmResponse.objects.exists()


def test_one_bad_row_saves_nothing_and_names_the_row(cast: Cast, period: SurveyPeriod) -> None:
    result = run(
        cast,
        period,
        csv(
            GOOD,
            "5,4,3,3,4,4,4,,3,8,X,SMK,PETANI,,",
            f"4,4,3,3,4,4,4,2,3,34,P,S1,SWASTA,,{cast.staf_a.nip}",
        ),
    )
    assert not result.ok and not SkmResponse.objects.exists()
    messages = [e.message for e in result.errors]
    assert messages[0].startswith("Baris 3: U1 harus 1, 2, 3 atau 4 ('5')")
    for part in (
        "U8 harus 1, 2, 3 atau 4 (kosong)",
        "usia harus angka 10–120",
        "jenis_kelamin",
        "pendidikan",
        "pekerjaan",
    ):
        assert part in messages[0]
    assert messages[1].startswith("Baris 4: petugas dengan NIP")


def test_header_problems(cast: Cast, period: SurveyPeriod) -> None:
    result = run(cast, period, b"u1,u2,usia,warna\n1,2,30,biru\n")
    assert "kolom wajib tidak ada" in result.errors[0].message
    with pytest.raises(ServiceError, match="hanya baris judul"):
        run(cast, period, csv())
    with pytest.raises(ServiceError):
        run(cast, period, b"data", name="kertas.pdf")


def test_xlsx_numbers_are_read(cast: Cast, period: SurveyPeriod) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append([4, 4, 3, 3, 4, 4, 4, 2, 3, 34, "P", "S1", "SWASTA", None, None])
    out = BytesIO()
    book.save(out)
    result = run(cast, period, out.getvalue(), name="kertas.xlsx")
    assert result.ok and SkmResponse.objects.get().answers() == (4, 4, 3, 3, 4, 4, 4, 2, 3)


def test_only_the_admin_imports(cast: Cast, period: SurveyPeriod) -> None:
    with pytest.raises(Refused):
        skm_import(
            by=cast.user("kapus"),
            layanan=period.layanan,
            period=period,
            file_name="k.csv",
            content=csv(GOOD),
            dry_run=True,
        )


def test_import_page_preview_then_save(
    login: Callable[[str], Client], period: SurveyPeriod
) -> None:
    client = login("admin")
    assert client.get("/skm/impor/").status_code == 200

    def post(action: str) -> str:
        upload = SimpleUploadedFile("kertas.csv", csv(GOOD, GOOD))
        data = {
            "layanan": period.layanan_id,
            "period": period.key,
            "file": upload,
            "action": action,
        }
        answer = client.post("/skm/impor/", data, follow=True)
        return answer.content.decode()

    assert "2 kuesioner siap disimpan" in post("preview")
    assert not SkmResponse.objects.exists()
    assert "Impor tersimpan: 2 kuesioner" in post("save")
    assert SkmResponse.objects.count() == 2
    bad = client.post(
        "/skm/impor/",
        {
            "layanan": period.layanan_id,
            "period": "SEMESTER-2001-1",
            "file": SimpleUploadedFile("k.csv", csv(GOOD)),
        },
    )
    assert "belum dibuka" in bad.content.decode()
    assert login("kapus").get("/skm/impor/").status_code == 403


@pytest.mark.parametrize("usia", ["²5", "²", "٣٠", "３０", "3٠"])
def test_usia_takes_only_ascii_digits(cast: Cast, period: SurveyPeriod, usia: str) -> None:
    result = run(cast, period, csv(f"4,4,4,4,4,4,4,4,4,{usia},L,SMA,PNS,,"))
    assert not result.ok and not SkmResponse.objects.exists()
    assert [e.message for e in result.errors] == [f"Baris 2: usia harus angka 10–120 ('{usia}')"]


def test_paper_answers_of_a_past_period_count_in_that_period(
    cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    """Answers imported now for the previous semester feed the petugas' windows of that
    semester, not the windows of the import day."""
    earlier_key = key.previous()
    assert earlier_key is not None
    earlier = services.period_open(by=cast.admin, layanan=period.layanan, key=earlier_key)
    row = f"4,4,4,4,4,3,3,4,4,30,L,SMA,PNS,,{cast.perawat.nip}"
    assert run(cast, earlier, csv(row, row, row)).ok
    windows = {w.key: w for w in petugas_year(cast.perawat.pk, earlier_key.year)}
    shown = windows[earlier_key].feedback
    assert shown is not None and shown.respondents == 3
    moments = set(SkmResponse.objects.values_list("created_at", flat=True))
    assert [timezone.localtime(m).date() for m in moments] == [earlier_key.end]
    if key.year == earlier_key.year:
        assert windows[key].feedback is None
    feedback = petugas_feedback(cast.perawat.pk, key.start, key.end)
    assert feedback is None  # nothing in the running semester
    assert petugas_feedback(cast.perawat.pk, earlier_key.start, earlier_key.end) is not None


def dated(*rows: tuple[str, str]) -> bytes:
    """A CSV with a `tanggal` column: (answers row, tanggal) pairs."""
    lines = [f"{HEADER},tanggal", *(f"{row},{day}" for row, day in rows)]
    return ("\n".join(lines) + "\n").encode()


def test_a_tanggal_column_dates_each_answer_on_its_own_day(
    cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    """A past semester's paper with the day each questionnaire was filled: each answer counts
    on that day (in its own triwulan), the rows without one on the period's last day."""
    earlier_key = key.previous()
    assert earlier_key is not None
    earlier = services.period_open(by=cast.admin, layanan=period.layanan, key=earlier_key)
    first, late = earlier_key.start + timedelta(days=9), earlier_key.end - timedelta(days=4)
    content = dated(
        (GOOD, f"{first:%d-%m-%Y}"), (GOOD, f"{late:%Y-%m-%d}"), (GOOD.replace("34", "35"), "")
    )
    assert run(cast, earlier, content).ok
    moments = [
        timezone.localtime(m)
        for m in SkmResponse.objects.order_by("created_at").values_list("created_at", flat=True)
    ]
    assert [m.date() for m in moments] == [first, late, earlier_key.end]
    assert {m.hour for m in moments} == {12}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("31-02-2026", "tanggal harus DD-MM-YYYY atau YYYY-MM-DD ('31-02-2026')"),
        ("kemarin", "tanggal harus DD-MM-YYYY atau YYYY-MM-DD ('kemarin')"),
        ("outside", "di luar periode"),
        ("tomorrow", "belum terjadi"),
    ],
)
def test_a_bad_tanggal_names_its_row_and_saves_nothing(
    cast: Cast, period: SurveyPeriod, text: str, problem: str
) -> None:
    today = timezone.localdate()
    if text == "outside":
        text = f"{period.start - timedelta(days=1):%d-%m-%Y}"
    elif text == "tomorrow":
        if today == period.end:
            pytest.skip("the running period ends today: tomorrow is outside it")
        text = f"{today + timedelta(days=1):%d-%m-%Y}"
    result = run(cast, period, dated((GOOD, f"{today:%d-%m-%Y}"), (GOOD, text)))
    assert not result.ok and not SkmResponse.objects.exists()
    [error] = result.errors
    assert error.row == 3 and problem in error.message


def test_paper_answers_of_the_running_period_are_dated_now(
    cast: Cast, period: SurveyPeriod
) -> None:
    assert timezone.localtime(answered_at(period)).date() == timezone.localdate()
    future = period.end.replace(year=period.end.year + 1)
    assert timezone.localtime(answered_at(period, today=future)).date() == period.end


def test_the_same_file_is_not_imported_twice(
    cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    content = csv(GOOD, GOOD, GOOD)
    assert run(cast, period, content).rows == 3
    for dry_run in (True, False):
        with pytest.raises(AlreadyImported, match="sudah diimpor untuk layanan dan periode ini"):
            run(cast, period, content, dry_run=dry_run)
    assert SkmResponse.objects.count() == 3
    assert AuditEvent.objects.filter(action="skm_import").count() == 1
    # Another file, or the same file for another period, is imported.
    assert run(cast, period, csv(GOOD, GOOD)).rows == 2
    earlier_key = key.previous()
    assert earlier_key is not None
    earlier = services.period_open(by=cast.admin, layanan=period.layanan, key=earlier_key)
    assert run(cast, earlier, content).rows == 3
    assert SkmResponse.objects.count() == 8


def test_the_same_questionnaires_in_another_file_are_not_imported_twice(
    cast: Cast, period: SurveyPeriod
) -> None:
    """Saved as XLSX after the CSV, rows reordered, a value spelled otherwise ("L" for
    "laki-laki"): the same answers, refused in the preview too; one changed answer is new."""
    other = f"1,2,3,4,1,2,3,4,1,61,laki-laki,D1/D2/D3,pns,,{cast.perawat.nip}"
    assert run(cast, period, csv(GOOD, other), name="januari.csv").rows == 2
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append([1, 2, 3, 4, 1, 2, 3, 4, 1, 61, "L", "D3", "PNS", None, cast.perawat.nip])
    sheet.append([4, 4, 3, 3, 4, 4, 4, 2, 3, 34, "P", "S1", "SWASTA", "Ruang tunggu sempit", None])
    out = BytesIO()
    book.save(out)
    for dry_run in (True, False):
        with pytest.raises(AlreadyImported) as refused:
            run(cast, period, out.getvalue(), name="januari.xlsx", dry_run=dry_run)
        assert "Kuesioner dalam file ini sudah diimpor" in str(refused.value)
        assert "januari.csv, 2 kuesioner" in str(refused.value)
    assert SkmResponse.objects.count() == 2
    changed = other.replace(",61,", ",62,")
    assert run(cast, period, csv(changed, GOOD), name="februari.csv").rows == 2
    assert SkmResponse.objects.count() == 4
    [first, second] = AuditEvent.objects.filter(action="skm_import").order_by("pk")
    assert first.new_values["rows_sha256"] != second.new_values["rows_sha256"]


def test_a_second_import_of_a_file_is_a_409_and_a_page_error(
    login: Callable[[str], Client], period: SurveyPeriod
) -> None:
    client = login("admin")
    url = f"/api/v1/skm/layanan/{period.layanan_id}/impor"

    def send() -> Any:
        upload = SimpleUploadedFile("kertas.csv", csv(GOOD))
        return client.post(url, {"period": period.key, "dry_run": "false", "file": upload})

    assert send().status_code == 200
    again = send()
    assert again.status_code == 409
    assert again.json()["code"] == "already_imported"
    assert "sudah diimpor" in again.json()["detail"]
    page = client.post(
        "/skm/impor/",
        {
            "layanan": period.layanan_id,
            "period": period.key,
            "file": SimpleUploadedFile("kertas.csv", csv(GOOD)),
            "action": "save",
        },
    )
    assert page.status_code == 200
    assert "sudah diimpor untuk layanan dan periode ini" in page.content.decode()
    assert SkmResponse.objects.count() == 1


def test_row_errors_go_through_gettext(
    cast: Cast, period: SurveyPeriod, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every part of a row error is a message catalogue entry with named placeholders."""
    from kinerja.org import import_parse
    from kinerja.surveys import importing

    def marked(message: str) -> str:
        return f"«{message}»"

    monkeypatch.setattr(importing, "_", marked)
    monkeypatch.setattr(import_parse, "_", marked)
    result = run(cast, period, csv(f"9,4,4,4,4,4,4,4,4,5,X,SMK,PETANI,,{cast.staf_a.nip}"))
    nip = cast.staf_a.nip
    parts = [
        "«U1 harus 1, 2, 3 atau 4 ('9')»",
        "«usia harus angka 10–120 ('5')»",
        "«jenis_kelamin harus L atau P»",
        "«pendidikan harus salah satu dari SD, SMP, SMA, D3, S1, S2, S3»",
        "«pekerjaan harus salah satu dari PNS, TNI, POLRI, SWASTA, WIRAUSAHA, LAINNYA»",
        f"«petugas dengan NIP {nip} tidak bertugas di unit layanan ini»",
    ]
    assert [e.message for e in result.errors] == ["«Baris 2: " + "; ".join(parts) + "»"]
    assert result.errors[0].reason.startswith("«U1 harus")
    header = run(cast, period, b"u1,u2,usia,warna,warna\n1,2,30,a,b\n")
    messages = [e.message for e in header.errors]
    assert messages[0].startswith("«Baris 1: «kolom wajib tidak ada: u3")
    assert messages[1].startswith("«Baris 1: «kolom tidak dikenal: warna, warna (kolom yang")
    assert messages[2] == "«Baris 1: «kolom muncul lebih dari sekali: warna»»"
    extra = run(cast, period, csv(GOOD + ",lebih"))
    assert extra.errors[0].message == "«Baris 2: «ada nilai di kolom tanpa judul (kolom ke-16)»»"


def test_the_api_answers_bad_rows_like_the_org_import(
    login: Callable[[str], Client], period: SurveyPeriod
) -> None:
    """A preview is a 200 listing the bad rows; saving a file with bad rows is a 422
    `import_invalid` with the same rows (docs/api.md, the org import), and writes nothing."""
    client = login("admin")
    url = f"/api/v1/skm/layanan/{period.layanan_id}/impor"
    content = csv(GOOD, "4,4,3,3,4,4,4,2,3,5,P,S1,SWASTA,,")

    def send(dry_run: str, language: str = "id") -> Any:
        upload = SimpleUploadedFile("kertas.csv", content)
        data = {"period": period.key, "dry_run": dry_run, "file": upload}
        return client.post(url, data, headers={"Accept-Language": language})

    row = {"row": 3, "message": "Baris 3: usia harus angka 10–120 ('5')"}
    preview = send("true")
    assert preview.status_code == 200
    assert preview.json() == {"rows": 1, "dry_run": True, "ok": False, "errors": [row]}
    saved = send("false")
    assert saved.status_code == 422
    assert saved.json() == {
        "detail": "Impor dibatalkan: 1 kesalahan ditemukan; tidak ada data yang disimpan.",
        "code": "import_invalid",
        "errors": [row],
    }
    assert not SkmResponse.objects.exists()
    assert not AuditEvent.objects.filter(action="skm_import").exists()
    english = send("false", "en")
    assert english.status_code == 422 and english.json()["code"] == "import_invalid"
    assert [e["row"] for e in english.json()["errors"]] == [3]
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/skm/layanan/{layanan_id}/impor"]["post"]["responses"]
    org = schema["paths"]["/api/v1/imports/{kind}"]["post"]["responses"]
    assert responses["422"]["content"] == org["422"]["content"]  # one ImportInvalidOut
