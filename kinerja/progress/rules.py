"""Pure progress arithmetic and evidence checks (no Django imports).

Progress of a quantitative indicator, as a percentage of the way from the baseline to the target:
- higher is better: (realised − baseline) / (target − baseline); baseline defaults to 0;
- lower is better, with a baseline: (baseline − realised) / (baseline − target);
- lower is better, without a baseline: target / realised (a smaller realised value is better;
  realised 0 with target > 0 counts as 200 %, the cap below).
Over-achievement is kept above 100 % up to a cap of 200 % (a typing slip must not dominate a
dashboard); below-baseline results are 0 %. Undefined cases (target equal to baseline) give None.
Results are Decimals rounded to 2 places, ROUND_HALF_UP.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def gettext_noop(message: str) -> str:
    """Marks a message for makemessages without importing Django: the service that turns the
    refusal into a ServiceError translates it (gettext at raise time)."""
    return message


CAP = Fraction(2)
HUNDRED = Decimal(100)


def _percent(ratio: Fraction) -> Decimal:
    ratio = max(Fraction(0), min(ratio, CAP))
    value = Decimal(ratio.numerator) / Decimal(ratio.denominator) * HUNDRED
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def progress_percent(
    *,
    target: Decimal,
    realised: Decimal,
    baseline: Decimal | None = None,
    lower_is_better: bool = False,
) -> Decimal | None:
    t, r = Fraction(target), Fraction(realised)
    if lower_is_better:
        if baseline is None:
            if r <= 0:
                return _percent(CAP) if t > 0 else _percent(Fraction(1))
            return _percent(t / r)
        b = Fraction(baseline)
        if b == t:
            return None
        return _percent((b - r) / (b - t))
    b = Fraction(baseline) if baseline is not None else Fraction(0)
    if t == b:
        return None
    return _percent((r - b) / (t - b))


def mean_percent(values: list[Decimal]) -> Decimal | None:
    """The mean of percentages, rounded half-up to 2 places as every percentage here (an RHK
    from its IKIs, a pegawai from theirs, a unit from its pegawai); None for no values."""
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


SUMMED_ASPEK = frozenset({"KUANTITAS", "BIAYA"})
_RATE_UNIT = re.compile(r"^\s*(%|persen\b|persentase\b|percent\b|indeks\b|nilai\b|skor\b)", re.I)


def accumulates(aspek: str, target_unit: str) -> bool:
    """Whether an IKI's realised value is the sum of its entries (project decision): Kuantitas
    and Biaya accumulate (outputs and spending), Kualitas and Waktu take the latest value; an
    IKI measured as a rate or level ("%", "persen", "indeks", "nilai", "skor") takes the latest
    value whatever its aspek (24 % reported twice is still 24 %, not 48 %)."""
    return aspek in SUMMED_ASPEK and not _RATE_UNIT.match(target_unit or "")


def prorated_expectation(elapsed_days: int, total_days: int) -> Decimal:
    """The share of a yearly target expected by now, as a percentage (for early warning)."""
    if total_days <= 0:
        return HUNDRED
    share = Fraction(max(0, min(elapsed_days, total_days)), total_days)
    return _percent(share)


# --- evidence files -------------------------------------------------------------------------

ALLOWED_KINDS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
_OOXML = {"docx": b"word/", "xlsx": b"xl/", "pptx": b"ppt/"}


class EvidenceRefused(ValueError):
    pass


def _is_ooxml(data: bytes, part_prefix: bytes) -> bool:
    """An OOXML package of the expected kind. With the whole file, the ZIP's directory decides
    (writers order the parts differently, so the first bytes need not name them); with only a
    head, the names seen in it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        return b"[Content_Types].xml" in data and part_prefix in data
    prefix = part_prefix.decode()
    return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)


def sniff_kind(head: bytes, name: str) -> str:
    """The evidence kind decided by the file's content (the name only separates look-alikes:
    OOXML and ODF files are ZIPs, legacy Office files are OLE containers). Pass the whole file
    where possible: an OOXML package is then recognised by its directory."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head[:200]:
            return "odt"
        if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head[:200]:
            return "ods"
        if ext in _OOXML and _is_ooxml(head, _OOXML[ext]):
            return ext
        raise EvidenceRefused(gettext_noop("Berkas ZIP ini bukan dokumen Office yang dikenali."))
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and ext in {"doc", "xls"}:
        return ext
    raise EvidenceRefused(
        gettext_noop(
            "Jenis berkas tidak diizinkan. Unggah PDF, gambar (JPG, PNG, WEBP) atau dokumen "
            "Office/ODF."
        )
    )


_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_file_name(name: str, kind: str) -> str:
    """A display name without any path, control characters or misleading extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:80] or "bukti"
    return f"{stem}.{kind}"
