"""Identity rules: the 18-digit NIP / NI PPPK and how names are printed and searched."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.org.rules import (
    InvalidIdentifier,
    NipParts,
    display_name,
    normalise_search,
    parse_ni_pppk,
    parse_nip,
)

# Dewi, born 1 March 1985, CPNS from July 2010, perempuan, the 12th of that intake.
DEWI = "198503012010072012"


def test_a_valid_nip_parses_into_its_parts() -> None:
    assert parse_nip(DEWI) == NipParts(
        birth_date=date(1985, 3, 1), tmt_year=2010, tmt_month=7, gender="P", sequence=12
    )


def test_gender_digit_one_is_laki_laki() -> None:
    parts = parse_nip("197912312005011001")
    assert parts.gender == "L"
    assert parts.birth_date == date(1979, 12, 31)
    assert (parts.tmt_year, parts.tmt_month, parts.sequence) == (2005, 1, 1)


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_nip(f"  {DEWI}\n") == parse_nip(DEWI)


def test_leap_day_birth_date_is_valid() -> None:
    assert parse_nip("200002292020011999").birth_date == date(2000, 2, 29)


def test_ni_pppk_follows_the_nip_layout() -> None:
    parts = parse_ni_pppk("199001152022091003")
    assert parts == NipParts(date(1990, 1, 15), 2022, 9, "L", 3)


LENGTH_OR_DIGITS = "NIP harus terdiri dari tepat 18 digit angka"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", LENGTH_OR_DIGITS),
        ("19850301201007201", LENGTH_OR_DIGITS),  # 17 digits
        ("1985030120100720121", LENGTH_OR_DIGITS),  # 19 digits
        ("19850301 201007 2 012", LENGTH_OR_DIGITS),  # spaced the way it is often printed
        ("19850301201007201X", LENGTH_OR_DIGITS),
        ("-98503012010072012", LENGTH_OR_DIGITS),
        # Arabic-Indic digits are digits to Python, but not to BKN.
        ("١٩٨٥٠٣٠١٢٠١٠٠٧٢٠١٢", LENGTH_OR_DIGITS),
        # Full-width digits, as pasted from some word processors.
        ("１９８５０３０１２０１００７２０１２", LENGTH_OR_DIGITS),
        (
            "198502312010072012",
            "digit 1–8 harus tanggal lahir yang valid (TTTTBBHH), bukan 19850231",
        ),  # 31 February
        (
            "199002292012012001",
            "digit 1–8 harus tanggal lahir yang valid (TTTTBBHH), bukan 19900229",
        ),  # 29 February in a common year
        (
            "198513012010072012",
            "digit 1–8 harus tanggal lahir yang valid (TTTTBBHH), bukan 19851301",
        ),
        (
            "198503002010072012",
            "digit 1–8 harus tanggal lahir yang valid (TTTTBBHH), bukan 19850300",
        ),
        (
            "000003012010072012",
            "digit 1–8 harus tanggal lahir yang valid (TTTTBBHH), bukan 00000301",
        ),
        (
            "198503012010002012",
            "digit 9–14 harus TMT CPNS TTTTBB yang valid, bukan 201000",
        ),
        (
            "198503012010132012",
            "digit 9–14 harus TMT CPNS TTTTBB yang valid, bukan 201013",
        ),
        ("198503011985032012", "TMT CPNS (digit 9–14) harus sesudah tanggal lahir"),
        ("198503011980072012", "TMT CPNS (digit 9–14) harus sesudah tanggal lahir"),
        ("198503012010073012", "digit ke-15 (jenis kelamin) harus 1 (laki-laki) atau 2"),
        ("198503012010070012", "digit ke-15 (jenis kelamin) harus 1 (laki-laki) atau 2"),
        ("198503012010072000", "digit 16–18 (nomor urut) tidak boleh 000"),
    ],
)
def test_invalid_nip_is_refused_with_the_reason(raw: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        parse_nip(raw)
    assert message in str(excinfo.value)


def test_tmt_one_month_after_birth_is_accepted() -> None:
    # The rule only requires the TMT to come after the birth month; plausibility is for humans.
    assert parse_nip("198503012010042012").tmt_month == 4
    assert parse_nip("198503011985042012").tmt_year == 1985


def test_ni_pppk_accepts_the_pppk_code_in_digits_13_14() -> None:
    parts = parse_ni_pppk("198504102023211005")
    assert parts == NipParts(date(1985, 4, 10), 2023, 0, "L", 5)
    with pytest.raises(InvalidIdentifier, match="tahun pengangkatan"):
        parse_ni_pppk("198504101984211005")
    with pytest.raises(InvalidIdentifier, match="jenis kelamin"):
        parse_ni_pppk("198504102023213005")


def test_ni_pppk_failures_use_the_same_messages() -> None:
    with pytest.raises(InvalidIdentifier, match="nomor urut"):
        parse_ni_pppk("199001152022091000")
    with pytest.raises(InvalidIdentifier, match="18 digit"):
        parse_ni_pppk("1990011520220910")


def test_invalid_identifier_is_a_value_error() -> None:
    # Forms and the API treat it as bad input, never as a server error.
    assert issubclass(InvalidIdentifier, ValueError)


@st.composite
def nip_parts(draw: st.DrawFn) -> tuple[str, NipParts]:
    born = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)))
    # Months counted from year 0 (January = 0): the first allowed TMT is the month after birth.
    birth_month_index = born.year * 12 + born.month - 1
    tmt = draw(st.integers(min_value=birth_month_index + 1, max_value=birth_month_index + 600))
    tmt_year, tmt_month = tmt // 12, tmt % 12 + 1
    gender = draw(st.sampled_from(["1", "2"]))
    sequence = draw(st.integers(min_value=1, max_value=999))
    raw = f"{born:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{gender}{sequence:03d}"
    parts = NipParts(born, tmt_year, tmt_month, "L" if gender == "1" else "P", sequence)
    return raw, parts


@given(nip_parts())
def test_every_well_formed_nip_parses_back_to_its_parts(case: tuple[str, NipParts]) -> None:
    raw, parts = case
    assert len(raw) == 18
    assert parse_nip(raw) == parts
    assert parse_ni_pppk(raw) == parts


@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_any_18_digit_string_parses_or_is_refused_cleanly(raw: str) -> None:
    try:
        parts = parse_nip(raw)
    except InvalidIdentifier as exc:
        assert str(exc)
    else:
        assert parts.birth_date == date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        assert (parts.tmt_year, parts.tmt_month) > (parts.birth_date.year, parts.birth_date.month)
        assert parts.gender == {"1": "L", "2": "P"}[raw[14]]
        assert 1 <= parts.sequence <= 999


# The zero of some scripts whose digits Python's int() and \d accept (Arabic-Indic, Persian,
# Devanagari, Thai, full-width).
OTHER_ZEROS = [0x0660, 0x06F0, 0x0966, 0x0E50, 0xFF10]


@given(nip_parts(), st.sampled_from(OTHER_ZEROS), st.integers(min_value=0, max_value=17))
def test_a_valid_nip_in_other_digits_is_refused(
    case: tuple[str, NipParts], zero: int, position: int
) -> None:
    raw, _parts = case
    foreign = chr(zero + int(raw[position]))
    with pytest.raises(InvalidIdentifier, match="18 digit angka"):
        parse_nip(raw[:position] + foreign + raw[position + 1 :])


@given(
    st.text(max_size=24)
    | st.text(alphabet=st.characters(categories=["Nd"]), min_size=18, max_size=18)
)
def test_any_text_is_either_an_ascii_nip_or_refused(raw: str) -> None:
    try:
        parse_nip(raw)
    except InvalidIdentifier:
        return
    nip = raw.strip()
    assert len(nip) == 18
    assert all(ch in "0123456789" for ch in nip)


@pytest.mark.parametrize(
    ("name", "front", "back", "expected"),
    [
        ("Budi Santoso", "", "", "Budi Santoso"),
        ("Budi Santoso", "Dr.", "", "Dr. Budi Santoso"),
        ("Budi Santoso", "", "S.Kom., M.T.", "Budi Santoso, S.Kom., M.T."),
        ("Budi Santoso", "Dr.", "S.Kom., M.T.", "Dr. Budi Santoso, S.Kom., M.T."),
        ("  Budi Santoso ", " Dr. ", "  S.Kom. ", "Dr. Budi Santoso, S.Kom."),
        ("Budi Santoso", "   ", "   ", "Budi Santoso"),
    ],
)
def test_display_name_prints_gelar_the_indonesian_way(
    name: str, front: str, back: str, expected: str
) -> None:
    assert display_name(name, front, back) == expected


def test_display_name_titles_are_optional() -> None:
    assert display_name("Sri Rahayu") == "Sri Rahayu"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dewi Lestari", "dewi lestari"),
        ("  DEWI\t  lestari \n", "dewi lestari"),
        ("Straße", "strasse"),
        ("", ""),
        ("   ", ""),
        ("198503012010072012", "198503012010072012"),
    ],
)
def test_normalise_search_folds_case_and_whitespace(text: str, expected: str) -> None:
    assert normalise_search(text) == expected
