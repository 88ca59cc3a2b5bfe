"""Pure progress rules (no database): the progress arithmetic, exact and as properties, and the
evidence checks (type decided by content, safe display names)."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja.progress import rules
from kinerja.progress.rules import EvidenceRefused, progress_percent, safe_file_name, sniff_kind

D = Decimal

# --- progress arithmetic: exact values ------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "realised", "baseline", "lower", "expected"),
    [
        # higher is better, no baseline: realised / target
        ("12", "3", None, False, "25.00"),
        ("12", "4", None, False, "33.33"),
        ("3", "2", None, False, "66.67"),  # ROUND_HALF_UP of 66.666…
        ("12", "12", None, False, "100.00"),
        ("12", "0", None, False, "0.00"),
        # with a baseline: the way travelled from baseline to target
        ("80", "70", "60", False, "50.00"),
        ("80", "60", "60", False, "0.00"),
        ("80", "50", "60", False, "0.00"),  # below the baseline: 0 %, never negative
        # over-achievement is kept, up to the 200 % cap
        ("10", "15", None, False, "150.00"),
        ("80", "90", "60", False, "150.00"),
        ("10", "20", None, False, "200.00"),
        ("10", "35", None, False, "200.00"),  # a typing slip does not dominate a dashboard
        # lower is better, with a baseline: (baseline − realised) / (baseline − target)
        ("5", "7.5", "10", True, "50.00"),
        ("5", "5", "10", True, "100.00"),
        ("5", "2.5", "10", True, "150.00"),
        ("5", "0", "10", True, "200.00"),
        ("5", "12", "10", True, "0.00"),  # worse than the baseline
        # lower is better, without a baseline: target / realised
        ("10", "20", None, True, "50.00"),
        ("10", "10", None, True, "100.00"),
        ("10", "8", None, True, "125.00"),
        ("10", "0", None, True, "200.00"),  # nothing at all when some was allowed: the cap
        ("0", "0", None, True, "100.00"),  # "zero complaints" achieved
        ("0", "3", None, True, "0.00"),
    ],
)
def test_progress_percent_exact(
    target: str, realised: str, baseline: str | None, lower: bool, expected: str
) -> None:
    got = progress_percent(
        target=D(target),
        realised=D(realised),
        baseline=None if baseline is None else D(baseline),
        lower_is_better=lower,
    )
    assert got == D(expected)
    assert got is not None and got.as_tuple().exponent == -2


@pytest.mark.parametrize("lower", [False, True])
def test_target_equal_to_baseline_is_undefined(lower: bool) -> None:
    assert (
        progress_percent(target=D(5), realised=D(5), baseline=D(5), lower_is_better=lower) is None
    )
    assert (
        progress_percent(target=D(5), realised=D(9), baseline=D(5), lower_is_better=lower) is None
    )


def test_zero_target_without_baseline_is_undefined_for_higher_is_better() -> None:
    assert progress_percent(target=D(0), realised=D(3)) is None


def test_prorated_expectation() -> None:
    assert rules.prorated_expectation(0, 365) == D("0.00")
    assert rules.prorated_expectation(73, 365) == D("20.00")
    assert rules.prorated_expectation(400, 365) == D("100.00")
    assert rules.prorated_expectation(-3, 365) == D("0.00")
    assert rules.prorated_expectation(5, 0) == D("100.00")


# --- progress arithmetic: properties ----------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(target=amounts, baseline=st.none() | amounts, r1=amounts, r2=amounts)
def test_higher_is_better_is_monotonic_in_realised(
    target: Decimal, baseline: Decimal | None, r1: Decimal, r2: Decimal
) -> None:
    assume(target > (baseline or 0))
    low, high = sorted([r1, r2])
    a = progress_percent(target=target, realised=low, baseline=baseline)
    b = progress_percent(target=target, realised=high, baseline=baseline)
    assert a is not None and b is not None
    assert a <= b


@given(target=amounts, baseline=st.none() | amounts, r1=amounts, r2=amounts)
def test_lower_is_better_is_antimonotonic_in_realised(
    target: Decimal, baseline: Decimal | None, r1: Decimal, r2: Decimal
) -> None:
    assume(baseline is None or baseline > target)
    low, high = sorted([r1, r2])
    a = progress_percent(target=target, realised=low, baseline=baseline, lower_is_better=True)
    b = progress_percent(target=target, realised=high, baseline=baseline, lower_is_better=True)
    assert a is not None and b is not None
    assert a >= b


@given(
    target=amounts,
    realised=amounts,
    baseline=st.none() | amounts,
    lower=st.booleans(),
)
def test_result_is_always_between_0_and_200(
    target: Decimal, realised: Decimal, baseline: Decimal | None, lower: bool
) -> None:
    got = progress_percent(
        target=target, realised=realised, baseline=baseline, lower_is_better=lower
    )
    if got is not None:
        assert D(0) <= got <= D(200)


@given(target=amounts, baseline=st.none() | amounts, lower=st.booleans())
def test_realised_equal_to_target_is_exactly_100(
    target: Decimal, baseline: Decimal | None, lower: bool
) -> None:
    assume(target != (baseline if baseline is not None else (target if lower else D(0))))
    got = progress_percent(target=target, realised=target, baseline=baseline, lower_is_better=lower)
    assert got == D("100.00")


# --- evidence: type decided by content --------------------------------------------------------


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG = _png()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Realisasi posyandu"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(*, first: str = "[Content_Types].xml", filler: int = 0) -> bytes:
    """A minimal WordprocessingML package; `filler` bytes of incompressible docProps first,
    as some writers (LibreOffice) put `_rels/.rels` and docProps before the parts."""
    out = io.BytesIO()
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"/>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
        "docProps/app.xml": "<Properties>"
        + "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(filler))
        + "</Properties>",
        "word/document.xml": '<?xml version="1.0"?><w:document/>',
    }
    order = [first] + [name for name in parts if name != first]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in order:
            package.writestr(name, parts[name])
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("notes.txt", "not an office document")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (PDF, "laporan.pdf", "pdf"),
        (PNG, "foto.png", "png"),
        (JPEG, "foto.jpeg", "jpg"),
        (JPEG, "foto.JPG", "jpg"),
        (WEBP, "foto.webp", "webp"),
        (PNG, "foto.pdf", "png"),  # the content decides, not the name
        (PDF, "tanpa-ekstensi", "pdf"),
        (xlsx_bytes(), "rekap.xlsx", "xlsx"),
        (docx_bytes(), "notulen.docx", "docx"),
        (docx_bytes(first="_rels/.rels", filler=100), "notulen.docx", "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "lama.doc", "doc"),
        (b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.text",
         "surat.odt", "odt"),
    ],
)  # fmt: skip
def test_sniff_accepts_real_heads(content: bytes, name: str, kind: str) -> None:
    assert sniff_kind(content, name) == kind
    assert kind in rules.ALLOWED_KINDS


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50, "laporan.pdf"),  # Windows .exe
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "foto.png"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "laporan.pdf"),
        (b"<html><body onload=alert(1)>", "foto.png"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
         "gambar.png"),
        (b"<svg onload=alert(1)>", "gambar.svg"),
        (b"hanya teks biasa", "catatan.pdf"),
        (b"", "kosong.pdf"),
        (plain_zip(), "arsip.docx"),  # a ZIP that is not Office, named as Office
        (plain_zip(), "arsip.zip"),
        (xlsx_bytes(), "rekap.zip"),  # OOXML needs its own extension to tell the kinds apart
        (xlsx_bytes(), "rekap.docx"),  # a workbook is not a Word document
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "installer.msi"),
    ],
)  # fmt: skip
def test_sniff_refuses_other_content(content: bytes, name: str) -> None:
    with pytest.raises(EvidenceRefused):
        sniff_kind(content, name)


# --- evidence: safe display names -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("foto kegiatan.png", "png", "foto kegiatan.png"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\foto.png", "png", "foto.png"),
        ("C:\\Users\\dewi\\laporan.PDF", "pdf", "laporan.pdf"),
        ("/absolute/path/laporan.pdf", "pdf", "laporan.pdf"),
        ("..", "pdf", "bukti.pdf"),
        ("", "png", "bukti.png"),
        (".htaccess", "pdf", "bukti.pdf"),
        ("nul\x00byte.pdf", "pdf", "nul_byte.pdf"),
        ("line\r\nbreak\t.pdf", "pdf", "line_break.pdf"),
        ("invoice\u202efdp.exe", "pdf", "invoicefdp.pdf"),  # RTL override shown as "…exe.pdf"
        ("laporan.pdf.exe", "pdf", "laporan.pdf.pdf"),
        ("foto.html", "png", "foto.png"),  # the sniffed kind decides the extension
        ("Bukti Kegiatan Café №1.jpg", "jpg", "Bukti Kegiatan Cafe No1.jpg"),
        ("<script>.pdf", "pdf", "script.pdf"),
        ('a"b;c.pdf', "pdf", "a_b_c.pdf"),
    ],
)
def test_safe_file_name(name: str, kind: str, expected: str) -> None:
    assert safe_file_name(name, kind) == expected


def test_safe_file_name_shortens_long_names() -> None:
    got = safe_file_name("a" * 500 + ".pdf", "pdf")
    assert got == "a" * 80 + ".pdf"
    assert len(got) <= 100  # BuktiDukung.file_name


@given(st.text(max_size=300), st.sampled_from(sorted(rules.ALLOWED_KINDS)))
def test_safe_file_name_is_always_plain(name: str, kind: str) -> None:
    got = safe_file_name(name, kind)
    assert got.endswith(f".{kind}")
    assert "/" not in got and "\\" not in got
    assert got.isascii() and got.isprintable()
    assert not got.startswith(".")
    assert 0 < len(got) <= 100


@pytest.mark.parametrize(
    ("aspek", "unit", "summed"),
    [
        ("KUANTITAS", "kegiatan", True),
        ("KUANTITAS", "dokumen", True),
        ("BIAYA", "rupiah", True),
        ("KUANTITAS", "%", False),
        ("KUANTITAS", " Persen", False),
        ("KUANTITAS", "persentase capaian", False),
        ("KUANTITAS", "indeks", False),
        ("BIAYA", "%", False),
        ("KUALITAS", "dokumen", False),
        ("WAKTU", "hari", False),
        ("KUANTITAS", "", True),
        ("KUANTITAS", "persenan", True),  # a word that only starts like one is a count
    ],
)
def test_what_accumulates(aspek: str, unit: str, summed: bool) -> None:
    assert rules.accumulates(aspek, unit) is summed


def test_means_round_half_up_like_every_percentage() -> None:
    # 0.125 would round to 0.12 half-even; every percentage here rounds half-up.
    assert rules.mean_percent([Decimal("0.12"), Decimal("0.13")]) == Decimal("0.13")
    assert rules.mean_percent([Decimal("10.005")]) == Decimal("10.01")
    assert rules.mean_percent([Decimal("50"), Decimal("0")]) == Decimal("25.00")
    assert rules.mean_percent([]) is None
