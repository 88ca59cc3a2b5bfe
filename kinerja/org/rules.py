"""Pure rules about identifiers and names (no Django imports)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_DIGITS_18 = re.compile(r"^[0-9]{18}$")  # ASCII digits only: \d also matches ١٢٣ and １２３


class InvalidIdentifier(ValueError):
    """An NIP or NI PPPK that does not follow the national format."""


@dataclass(frozen=True)
class NipParts:
    birth_date: date
    tmt_year: int
    tmt_month: int
    gender: str  # "L" (digit 1) or "P" (digit 2)
    sequence: int


def _birth_date(digits: str) -> date:
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidIdentifier(
            f"digit 1–8 harus tanggal lahir yang valid (TTTTBBHH), bukan {digits[0:8]}"
        ) from None


def parse_nip(raw: str) -> NipParts:
    """Validate an 18-digit PNS NIP (BKN format) and return its parts."""
    nip = raw.strip()
    if not _DIGITS_18.match(nip):
        raise InvalidIdentifier("NIP harus terdiri dari tepat 18 digit angka")
    born = _birth_date(nip)
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12:
        raise InvalidIdentifier(f"digit 9–14 harus TMT CPNS TTTTBB yang valid, bukan {nip[8:14]}")
    if (tmt_year, tmt_month) <= (born.year, born.month):
        raise InvalidIdentifier("TMT CPNS (digit 9–14) harus sesudah tanggal lahir")
    if nip[14] not in "12":
        raise InvalidIdentifier(
            "digit ke-15 (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan)"
        )
    sequence = int(nip[15:18])
    if sequence == 0:
        raise InvalidIdentifier("digit 16–18 (nomor urut) tidak boleh 000")
    return NipParts(born, tmt_year, tmt_month, "L" if nip[14] == "1" else "P", sequence)


def parse_ni_pppk(raw: str) -> NipParts:
    """Validate an 18-digit NI PPPK.

    [M] Assumed layout, not verified against a BKN regulation: digits 1–8 the birth date, 9–12
    the year of appointment (not before the birth year), 13–14 a two-digit code (seen as "21" on
    published NI PPPK; a month is accepted too), 15 the gender digit, 16–18 a sequence number.
    `tmt_month` is the code when it is a month (1–12), else 0.
    """
    number = raw.strip()
    if not _DIGITS_18.match(number):
        raise InvalidIdentifier("NI PPPK harus terdiri dari tepat 18 digit angka")
    born = _birth_date(number)
    year, code = int(number[8:12]), int(number[12:14])
    if year < born.year:
        raise InvalidIdentifier("tahun pengangkatan (digit 9–12) tidak boleh sebelum tahun lahir")
    if number[14] not in "12":
        raise InvalidIdentifier(
            "digit ke-15 (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan)"
        )
    sequence = int(number[15:18])
    if sequence == 0:
        raise InvalidIdentifier("digit 16–18 (nomor urut) tidak boleh 000")
    month = code if 1 <= code <= 12 else 0
    return NipParts(born, year, month, "L" if number[14] == "1" else "P", sequence)


def display_name(name: str, front_title: str = "", back_title: str = "") -> str:
    """'Dr. Budi Santoso, S.Kom., M.T.': the way Indonesian documents print a name with gelar."""
    full = f"{front_title.strip()} {name.strip()}".strip()
    back = back_title.strip()
    return f"{full}, {back}" if back else full


def normalise_search(text: str) -> str:
    return " ".join(text.casefold().split())
