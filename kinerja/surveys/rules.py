"""Pure SKM rules: the 9 unsur, the answer wording, the IKM arithmetic, mutu pelayanan and the
Krejcie–Morgan minimum sample (PermenPANRB 14/2017 via ../shared/domain.md §12 and the project
decisions table). No Django imports.

Arithmetic is exact: NRR per unsur is a Fraction (sum / responden yang mengisi), the weight is
exactly 1/9, and only the reported values are rounded (ROUND_HALF_UP): NRR and IKM to 4
decimals, the konversi to 2 decimals. Mutu is decided on the rounded konversi. A change between
two periods is the exact difference rounded once (`difference`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

UNSUR: tuple[tuple[str, str], ...] = (
    ("u1", "Persyaratan"),
    ("u2", "Sistem, Mekanisme, dan Prosedur"),
    ("u3", "Waktu Penyelesaian"),
    ("u4", "Biaya/Tarif"),
    ("u5", "Produk Spesifikasi Jenis Pelayanan"),
    ("u6", "Kompetensi Pelaksana"),
    ("u7", "Perilaku Pelaksana"),
    ("u8", "Penanganan Pengaduan, Saran dan Masukan"),
    ("u9", "Sarana dan Prasarana"),
)
UNSUR_COUNT = len(UNSUR)
UNSUR_CODES: tuple[str, ...] = tuple(code for code, _ in UNSUR)
WEIGHT = Fraction(1, UNSUR_COUNT)
MIN_ANSWER, MAX_ANSWER = 1, 4

# Wording of the answers 1..4 per unsur (Lampiran P14/2017 questionnaire, domain §12.3).
ANSWER_LABELS: dict[int, tuple[str, ...]] = {
    0: ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    1: ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    2: ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    3: ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    4: ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    5: ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    6: ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
        "Sangat sopan dan ramah"),
    7: ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
        "Dikelola dengan baik"),
    8: ("Buruk", "Cukup", "Baik", "Sangat baik"),
}  # fmt: skip

# Mutu pelayanan (x) -> kinerja unit pelayanan (y), domain §12.5.
KINERJA_LABELS: dict[str, str] = {
    "A": "Sangat baik",
    "B": "Baik",
    "C": "Kurang baik",
    "D": "Tidak baik",
}
_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("65.00"), "D"),
    (Decimal("76.61"), "C"),
    (Decimal("88.31"), "B"),
)


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    nrr: tuple[Decimal, ...]  # 9, quantized to 4 dp
    ikm: Decimal  # 1-4 scale, 4 dp
    ikm_konversi: Decimal  # 25-100, 2 dp ROUND_HALF_UP
    mutu: str  # "A".."D"
    kinerja_label: str  # "Sangat baik" / "Baik" / "Kurang baik" / "Tidak baik"
    nrr_exact: tuple[Fraction, ...] = field(default=(), repr=False)  # 9, unrounded
    ikm_exact: Fraction = field(default=Fraction(0), repr=False)  # unrounded; 0: not known


def round_half_up(value: Fraction, places: int) -> Decimal:
    """Exact ROUND_HALF_UP of a non-negative Fraction to `places` decimals."""
    if value < 0:
        raise ValueError("nilai negatif tidak didukung")
    scaled = value * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return Decimal(whole).scaleb(-places)


def difference(now: Fraction, before: Fraction, places: int = 4) -> Decimal:
    """`now − before` from the exact values, rounded once ROUND_HALF_UP to `places` decimals
    (halves away from zero, so swapping the two only flips the sign; never "-0"). The
    difference of the rounded values can be a unit off: 11/3 − 7/3 is 1.3333, while
    3.6667 − 2.3333 is 1.3334."""
    change = now - before
    size = round_half_up(abs(change), places)
    return -size if change < 0 and size else size


def nrr_change(now: IkmResult, before: IkmResult) -> tuple[Decimal, ...]:
    """The change of each unsur's NRR from `before` to `now`, 4 decimals (`difference`)."""
    if len(now.nrr_exact) != UNSUR_COUNT or len(before.nrr_exact) != UNSUR_COUNT:
        raise ValueError("NRR eksak tidak tersedia: hasil tidak dihitung dengan ikm_from_sums")
    return tuple(difference(a, b, 4) for a, b in zip(now.nrr_exact, before.nrr_exact, strict=True))


def konversi_change(now: IkmResult, before: IkmResult) -> Decimal:
    """The change of the IKM konversi from `before` to `now`, 2 decimals, from the exact IKM
    (`difference`), as the NRR's."""
    if not now.ikm_exact or not before.ikm_exact:
        raise ValueError("IKM eksak tidak tersedia: hasil tidak dihitung dengan ikm_from_sums")
    return difference(25 * now.ikm_exact, 25 * before.ikm_exact, 2)


def mutu(konversi: Decimal) -> str:
    """Mutu pelayanan on the konversi (25–100) rounded to 2 decimals: <65.00 D; <76.61 C;
    <88.31 B; else A."""
    for upper, grade in _BANDS:
        if konversi < upper:
            return grade
    return "A"


def ikm_from_sums(respondents: int, sums: Sequence[int], counts: Sequence[int]) -> IkmResult:
    """IKM from per-unsur running totals: `sums[u]` = Σ nilai persepsi of unsur u,
    `counts[u]` = how many respondents answered unsur u."""
    if respondents < 1:
        raise ValueError("belum ada responden: IKM tidak dapat dihitung")
    if len(sums) != UNSUR_COUNT or len(counts) != UNSUR_COUNT:
        raise ValueError(f"dibutuhkan {UNSUR_COUNT} jumlah dan {UNSUR_COUNT} cacah per unsur")
    nrr_exact: list[Fraction] = []
    for index, (total, count) in enumerate(zip(sums, counts, strict=True)):
        code = UNSUR_CODES[index].upper()
        if count < 1:
            raise ValueError(f"{code}: tidak ada responden yang mengisi unsur ini")
        if count > respondents:
            raise ValueError(f"{code}: cacah pengisi ({count}) melebihi responden ({respondents})")
        if not MIN_ANSWER * count <= total <= MAX_ANSWER * count:
            raise ValueError(f"{code}: jumlah nilai {total} tidak mungkin untuk {count} pengisi")
        nrr_exact.append(Fraction(total, count))
    ikm_exact = sum((n * WEIGHT for n in nrr_exact), Fraction(0))
    konversi = round_half_up(ikm_exact * 25, 2)
    grade = mutu(konversi)
    return IkmResult(
        respondents=respondents,
        nrr=tuple(round_half_up(n, 4) for n in nrr_exact),
        ikm=round_half_up(ikm_exact, 4),
        ikm_konversi=konversi,
        mutu=grade,
        kinerja_label=KINERJA_LABELS[grade],
        nrr_exact=tuple(nrr_exact),
        ikm_exact=ikm_exact,
    )


def check_answer(value: object) -> int:
    """One answer as an int 1..4, or ValueError saying what is wrong."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"jawaban harus bilangan bulat 1–4, bukan {value!r}")
    if not MIN_ANSWER <= value <= MAX_ANSWER:
        raise ValueError(f"jawaban harus 1–4, bukan {value}")
    return value


def ikm_from_answers(rows: Iterable[Sequence[int]]) -> IkmResult:
    """IKM from complete questionnaires: each row holds the 9 answers (1..4) in unsur order."""
    sums = [0] * UNSUR_COUNT
    respondents = 0
    for number, row in enumerate(rows, start=1):
        if len(row) != UNSUR_COUNT:
            raise ValueError(
                f"responden {number}: dibutuhkan {UNSUR_COUNT} jawaban, ada {len(row)}"
            )
        for index, value in enumerate(row):
            try:
                sums[index] += check_answer(value)
            except ValueError as exc:
                raise ValueError(
                    f"responden {number}, {UNSUR_CODES[index].upper()}: {exc}"
                ) from None
        respondents += 1
    if respondents == 0:
        raise ValueError("belum ada responden: IKM tidak dapat dihitung")
    return ikm_from_sums(respondents, sums, [respondents] * UNSUR_COUNT)


def nrr_tertimbang(nrr: Sequence[Decimal]) -> tuple[Decimal, ...]:
    """NRR × 1/9 per unsur for the report table, 4 decimals (display only; the IKM itself
    is computed from the exact NRR)."""
    return tuple(round_half_up(Fraction(value) * WEIGHT, 4) for value in nrr)


_CHI2 = Fraction(3841, 1000)  # χ², df 1, 95 %
_PQ = Fraction(1, 4)  # P(1−P) with P = 0.5
_D2 = Fraction(1, 400)  # d² with d = 0.05


def krejcie_morgan(population: int) -> int:
    """Minimum sample for a population of service users (Krejcie & Morgan 1970), rounded to
    the nearest integer: N=100 → 80, 1 000 → 278, 10 000 → 370, 1 000 000 → 384."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise ValueError("populasi pengguna layanan harus bilangan bulat ≥ 1")
    size = _CHI2 * population * _PQ / (_D2 * (population - 1) + _CHI2 * _PQ)
    return int(round_half_up(size, 0))


def weakest_unsur(nrr: Sequence[Decimal]) -> int:
    """Index (0..8) of the unsur with the lowest NRR; ties go to the lowest index."""
    if not nrr:
        raise ValueError("tidak ada NRR")
    return min(range(len(nrr)), key=lambda index: (nrr[index], index))


# --- publishing aggregates: complementary suppression ------------------------------------


def publishable(counts: Sequence[int], parents: Sequence[int | None], minimum: int) -> set[int]:
    """Which figures of a tree of sums may be published without any group smaller than
    `minimum` becoming readable, by itself or by subtraction.

    Node i stands for `counts[i]` respondents; `parents[i]` is the node whose figures include
    it (None for a root), so a parent's sums are its children's plus any of its own. A node
    under `minimum` is withheld (primary). Published figures also give away, by subtraction,
    the rest of every published node: its count minus those of its nearest published
    descendants. That rest must be 0 or at least `minimum`; where it is not, the nearest
    published descendants are withheld too, smallest first (deeper first among equals), until
    it is (secondary). Deepest nodes are settled first, so withholding below a node never
    undoes a level already settled. Returns the indices that may be published."""
    size = len(counts)
    if len(parents) != size:
        raise ValueError("jumlah induk harus sama dengan jumlah simpul")
    children: list[list[int]] = [[] for _ in range(size)]
    depth = [0] * size
    for node, parent in enumerate(parents):
        if parent is not None:
            if not 0 <= parent < size or parent == node:
                raise ValueError(f"induk simpul {node} tidak ada")
            children[parent].append(node)
    for node in range(size):
        seen, up = 0, parents[node]
        while up is not None:
            seen += 1
            if seen > size:
                raise ValueError("pohon agregat berputar")
            up = parents[up]
        depth[node] = seen
    shown = {node for node in range(size) if counts[node] >= minimum}

    def frontier(node: int) -> list[int]:
        found, stack = [], list(children[node])
        while stack:
            child = stack.pop()
            if child in shown:
                found.append(child)
            else:
                stack.extend(children[child])
        return found

    for node in sorted(range(size), key=lambda i: (-depth[i], i)):
        while node in shown:
            nearest = frontier(node)
            rest = counts[node] - sum(counts[i] for i in nearest)
            if rest < 0:
                raise ValueError(f"simpul {node}: bagian-bagiannya melebihi jumlahnya")
            if rest == 0 or rest >= minimum or not nearest:
                break
            shown.discard(min(nearest, key=lambda i: (counts[i], -depth[i], i)))
    return shown
