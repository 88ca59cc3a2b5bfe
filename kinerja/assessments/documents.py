"""The evaluation documents (domain.md §11.2 EVALUASI KINERJA PEGAWAI, §11.3 DOKUMEN EVALUASI
KINERJA PEGAWAI) as PDF, with the POLA DISTRIBUSI curve and the verification QR code drawn as
inline SVG.

Pure rendering: every function receives an `EvaluasiData` (built by
`document_queries.evaluasi_data`) and never queries. WeasyPrint fetches nothing: fonts are the
machine's, the pictures are inline SVG.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kinerja.plans.documents import periode, tanggal

from . import rules
from .document_queries import EvaluasiData
from .models import JenisDokumen

TITLE_EVALUASI = "EVALUASI KINERJA PEGAWAI"
TITLE_DOKUMEN = "DOKUMEN EVALUASI KINERJA PEGAWAI"
RATING_LABELS = {
    rules.DI_ATAS: "DI ATAS EKSPEKTASI",
    rules.SESUAI: "SESUAI EKSPEKTASI",
    rules.DI_BAWAH: "DI BAWAH EKSPEKTASI",
}
# The x axis of the curve, worst first as on the Lampiran of PermenPANRB 6/2022.
CURVE_AXIS = (
    rules.SANGAT_KURANG,
    rules.KURANG,
    rules.BUTUH_PERBAIKAN,
    rules.BAIK,
    rules.SANGAT_BAIK,
)
# Relative height of the bell-shaped curve at each axis point for an organisation predicate:
# the peak sits on the predicate most pegawai are expected to get (§8).
CURVE_SHAPES: dict[str, tuple[float, ...]] = {
    rules.ISTIMEWA: (0.04, 0.08, 0.18, 0.45, 1.0),
    rules.BAIK: (0.08, 0.22, 0.45, 1.0, 0.4),
    rules.BUTUH_PERBAIKAN: (0.18, 0.45, 1.0, 0.4, 0.1),
    rules.KURANG: (0.4, 1.0, 0.45, 0.18, 0.08),
    rules.SANGAT_KURANG: (1.0, 0.45, 0.18, 0.06, 0.0),
}


def rating_label(code: str) -> str:
    return RATING_LABELS.get(code, "-")


def predikat_label(code: str) -> str:
    return rules.PREDIKAT_LABELS[code].upper() if code else "-"


def org_label(code: str) -> str:
    return rules.ORG_LABELS[code].upper() if code else "BELUM DITETAPKAN"


def periode_penilaian(data: EvaluasiData) -> str:
    return periode(data.periode_start, data.periode_end)


def filename(nip: str, year: int, period: int, kind: str) -> str:
    """ "EVALUASI-<NIP>-2026-P2.pdf", "DOKUMEN-EVALUASI-<NIP>-2026-TAHUNAN.pdf"."""
    prefix = "EVALUASI" if kind == JenisDokumen.EVALUASI else "DOKUMEN-EVALUASI"
    label = "TAHUNAN" if period == 0 else f"P{period}"
    return f"{prefix}-{nip}-{year}-{label}.pdf"


def fingerprint(data: EvaluasiData, kind: str) -> str:
    """SHA-256 of what the document shows: a new document is issued only when this changes."""
    payload = json.dumps(
        {"kind": kind, "data": dataclasses.asdict(data)}, default=str, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# --- pictures ------------------------------------------------------------------------------


def _smooth_path(points: list[tuple[float, float]]) -> str:
    """A Catmull-Rom curve through the points, as cubic Bézier segments."""
    parts = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for i in range(len(points) - 1):
        p0 = points[max(i - 1, 0)]
        p1, p2 = points[i], points[i + 1]
        p3 = points[min(i + 2, len(points) - 1)]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        parts.append(f"C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} {p2[0]:.1f},{p2[1]:.1f}")
    return " ".join(parts)


def distribution_svg(org_predikat: str) -> SafeString:
    """The POLA DISTRIBUSI curve for an organisation predicate: x = the five predicates (worst
    first), y = Frekuensi Pegawai. An unknown/empty predicate draws the axes only."""
    width, height, left, bottom, top = 360, 150, 34, 118, 12
    step = (width - left - 20) / (len(CURVE_AXIS) - 1)
    xs = [left + 10 + i * step for i in range(len(CURVE_AXIS))]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="curve" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Pola distribusi {escape(org_label(org_predikat))}">',
        f'<line x1="{left}" y1="{bottom}" x2="{width - 6}" y2="{bottom}" stroke="#000" '
        'stroke-width="0.8"/>',
        f'<line x1="{left}" y1="{bottom}" x2="{left}" y2="{top}" stroke="#000" '
        'stroke-width="0.8"/>',
        f'<text x="10" y="{(bottom + top) / 2:.0f}" font-size="7" text-anchor="middle" '
        f'transform="rotate(-90 10 {(bottom + top) / 2:.0f})">Frekuensi Pegawai</text>',
    ]
    shape = CURVE_SHAPES.get(org_predikat)
    if shape is not None:
        points = [(x, bottom - h * (bottom - top - 6)) for x, h in zip(xs, shape, strict=True)]
        parts.append(
            f'<path d="{_smooth_path(points)}" fill="none" stroke="#1f4e79" stroke-width="1.6"/>'
        )
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8" fill="#1f4e79"/>')
    for x, code in zip(xs, CURVE_AXIS, strict=True):
        words = rules.PREDIKAT_LABELS[code].split("/")
        for n, word in enumerate(words):
            text = word + ("/" if n < len(words) - 1 else "")
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 11 + 8 * n}" font-size="6.5" '
                f'text-anchor="middle">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from constants and escaped labels


def qr_svg(url: str, *, module: float = 2.2) -> SafeString:
    """The QR code of `url` (segno) as SVG rectangles, one per run of dark modules in a row,
    with the 4-module quiet zone."""
    matrix = segno.make(url, error="m").matrix
    size = len(matrix) + 8
    side = size * module
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" width="{side:.1f}" '
        f'height="{side:.1f}" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">',
        f'<rect width="{size}" height="{size}" fill="#fff"/>',
    ]
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(
                    f'<rect x="{start + 4}" y="{y + 4}" width="{x - start}" height="1" '
                    'fill="#000"/>'
                )
            else:
                x += 1
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers only


# --- the documents -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """How an issued document can be checked: its code, the public URL and the issue day."""

    code: str
    url: str
    issued_on: str


@dataclass(frozen=True)
class Rendering:
    """What the templates receive besides the data: the worded lines."""

    data: EvaluasiData
    title: str
    periode_penilaian: str
    rating_hasil: str
    rating_perilaku: str
    predikat: str
    capaian: str
    pattern_rules: list[str]
    curve: SafeString
    place_date: str
    owner: str
    verification: Verification | None
    qr: SafeString | None
    watermark: str  # "" on an issued document; "DRAF" / "SALINAN" on copies
    keberatan_line: str
    kalibrasi_line: str


def _keberatan_line(data: EvaluasiData) -> str:
    note = data.keberatan
    if note is None:
        return ""
    day = f" tanggal {tanggal(note.decided_on)}" if note.decided_on else ""
    if note.status == "DIUBAH":
        return (
            f"Predikat ini ditetapkan berdasarkan keputusan atas keberatan{day} oleh Atasan "
            f"Pejabat Penilai Kinerja (predikat semula: {predikat_label(note.predikat_before)})."
        )
    return (
        f"Keberatan atas predikat ini telah diputus{day} oleh Atasan Pejabat Penilai Kinerja: "
        "predikat dipertahankan."
    )


def rendering(
    data: EvaluasiData, kind: str, *, verification: Verification | None, watermark: str = ""
) -> Rendering:
    calibrated = (
        data.calibrated
        and data.predikat_penilai
        and data.predikat_penilai
        != (data.keberatan.predikat_before if data.keberatan else data.predikat)
    )
    return Rendering(
        data=data,
        title=TITLE_EVALUASI if kind == JenisDokumen.EVALUASI else TITLE_DOKUMEN,
        periode_penilaian=periode_penilaian(data),
        rating_hasil=rating_label(data.rating_hasil),
        rating_perilaku=rating_label(data.rating_perilaku),
        predikat=predikat_label(data.predikat),
        capaian=org_label(data.capaian),
        pattern_rules=rules.pattern_rules(data.capaian) if data.capaian else [],
        curve=distribution_svg(data.capaian),
        place_date=tanggal(data.dated),
        owner=f"{data.pegawai.name} (NIP {data.pegawai.nip})",
        verification=verification,
        qr=qr_svg(verification.url) if verification else None,
        watermark=watermark,
        keberatan_line=_keberatan_line(data),
        kalibrasi_line=(
            "Predikat telah melalui kalibrasi oleh pimpinan (predikat dari Pejabat Penilai "
            f"Kinerja: {predikat_label(data.predikat_penilai)})."
            if calibrated
            else ""
        ),
    )


TEMPLATES = {
    JenisDokumen.EVALUASI: "assessments/dokumen_pdf_evaluasi.html",
    JenisDokumen.DOKUMEN_EVALUASI: "assessments/dokumen_pdf_ringkas.html",
}


def pdf_html(
    data: EvaluasiData, kind: str, *, verification: Verification | None, watermark: str = ""
) -> str:
    with translation.override("id"):
        doc = rendering(data, kind, verification=verification, watermark=watermark)
        return render_to_string(TEMPLATES[JenisDokumen(kind)], {"doc": doc, "data": data})


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint must not fetch anything: fonts are the machine's, pictures are inline."""
    raise ValueError(f"Dokumen evaluasi tidak memuat sumber luar: {url}")


def pdf_bytes(
    data: EvaluasiData, kind: str, *, verification: Verification | None, watermark: str = ""
) -> bytes:
    """One of the two evaluation documents as an A4 PDF."""
    from weasyprint import HTML  # imported lazily: it loads fonts and is heavy

    html = pdf_html(data, kind, verification=verification, watermark=watermark)
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)
