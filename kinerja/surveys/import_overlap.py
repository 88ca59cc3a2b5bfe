"""Rows of a paper import that are already stored: a warning, not a refusal.

`importing.skm_import` refuses a file whose bytes or whose whole set of rows was saved before
for the layanan and period. A file that repeats only some earlier questionnaires (an earlier
batch re-exported with new ones) passes that check, so its old rows would count twice; but two
citizens can fill in the same questionnaire, so identical rows are only reported: the preview
and the API's answer say how many of the file's rows are already stored and which.

A row is the same questionnaire as a stored paper answer of this layanan and period when the
nine answers, usia, jenis kelamin, pendidikan, pekerjaan, saran and petugas are equal and, when
the row has a `tanggal`, the stored answer falls on that day. An imported row with a `tanggal`
is stored at noon of that day (`importing._noon`: never later than the moment of saving, which
is still that day), so its local date is the `tanggal`. A row without one is stored at
`importing.answered_at(period)`: the moment of saving or an edge of the period, a day that says
nothing about when the questionnaire was filled. So:

- a file row without `tanggal` is compared regardless of the day: its stored twin, if any, may
  lie on any day of the period, and a day recorded for it would be the day of the earlier
  import, not of the questionnaire. (Sound for a warning: every stored paper answer of the
  period is a candidate, and the count is bounded by how many of them there are.)
- a file row with a `tanggal` is compared only with stored answers of that day. It is not
  matched with an earlier import of the same questionnaire *without* `tanggal` unless that was
  stored on the same day, since such a stored answer cannot be told from one dated on its day.

The count is a multiset intersection: for each questionnaire, min(rows in the file, answers
stored); the rows with a `tanggal` take their day's stored answers first, the rows without one
share the rest (this order gives the largest match). One values-only query over the period's
paper answers, and one for the names of the earlier imports when anything matched.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import UNSUR_FIELDS, SkmImport, SkmResponse, SurveyPeriod

SHOWN_ROWS = 20
SHOWN_FILES = 5
# The fields that make one questionnaire (the key), then the moment it counts from.
QUESTIONNAIRE = (
    *UNSUR_FIELDS,
    "usia",
    "jenis_kelamin",
    "pendidikan",
    "pekerjaan",
    "saran",
    "petugas_id",
)

Questionnaire = tuple[int | str | None, ...]


@dataclass(frozen=True)
class AlreadyStored:
    """The file's rows (spreadsheet row numbers, ascending) that repeat stored paper answers,
    and the names of the files imported earlier for the layanan and period (oldest first)."""

    rows: list[int] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


def questionnaire(response: SkmResponse) -> Questionnaire:
    return tuple(getattr(response, name) for name in QUESTIONNAIRE)


def already_stored(
    period: SurveyPeriod, rows: Iterable[tuple[int, SkmResponse, date | None]]
) -> AlreadyStored:
    """Which of the checked rows (number, response, tanggal) repeat paper answers stored for
    the period's layanan and period (the module docstring says how they are compared)."""
    wanted = sorted(rows, key=lambda row: row[0])
    if not wanted:
        return AlreadyStored()
    stored: dict[Questionnaire, Counter[date]] = defaultdict(Counter)
    values = SkmResponse.objects.paper_of(period).values_list(*QUESTIONNAIRE, "created_at")
    for *key, moment in values:
        stored[tuple(key)][timezone.localtime(moment).date()] += 1
    matched: list[int] = []
    undated: dict[Questionnaire, list[int]] = defaultdict(list)
    for number, response, day in wanted:
        days = stored.get(questionnaire(response))
        if not days:
            continue
        if day is None:
            undated[questionnaire(response)].append(number)
        elif days[day] > 0:
            days[day] -= 1
            matched.append(number)
    for key, numbers in undated.items():  # after the dated rows took their days
        matched.extend(numbers[: sum(stored[key].values())])
    if not matched:
        return AlreadyStored()
    files = SkmImport.objects.filter(layanan_id=period.layanan_id, period=period)
    names = list(files.order_by("created_at", "pk").values_list("file_name", flat=True))
    return AlreadyStored(rows=sorted(matched), files=names)


def _shown(found: AlreadyStored) -> str:
    shown = ", ".join(str(n) for n in found.rows[:SHOWN_ROWS])
    return f"{shown} …" if found.count > SHOWN_ROWS else shown


def warning(found: AlreadyStored) -> str:
    """The preview's warning, in the admin's language (empty when nothing repeats)."""
    if not found.count:
        return ""
    text = ngettext(
        "%(n)d baris dalam file ini sama persis dengan kuesioner kertas yang sudah tersimpan "
        "untuk layanan dan periode ini (baris %(rows)s).",
        "%(n)d baris dalam file ini sama persis dengan kuesioner kertas yang sudah tersimpan "
        "untuk layanan dan periode ini (baris %(rows)s).",
        found.count,
    ) % {"n": found.count, "rows": _shown(found)}
    if found.files:
        names = ", ".join(found.files[:SHOWN_FILES])
        if len(found.files) > SHOWN_FILES:
            names += " …"
        text += " " + _("Impor sebelumnya: %(files)s.") % {"files": names}
    advice = ngettext(
        "Menyimpan file ini akan menghitungnya lagi. Bila kuesioner itu sudah pernah diimpor, "
        "hapus barisnya dari file lalu unggah lagi; bila memang responden lain dengan jawaban "
        "yang sama, file boleh disimpan.",
        "Menyimpan file ini akan menghitungnya lagi. Bila kuesioner-kuesioner itu sudah pernah "
        "diimpor, hapus baris-barisnya dari file lalu unggah lagi; bila memang responden lain "
        "dengan jawaban yang sama, file boleh disimpan.",
        found.count,
    )
    return f"{text} {advice}"


def saved_warning(found: AlreadyStored) -> str:
    """After a save without a preview: the same rows, now stored twice if they were old."""
    if not found.count:
        return ""
    return ngettext(
        "%(n)d kuesioner yang baru disimpan sama persis dengan kuesioner kertas yang sudah "
        "tersimpan sebelumnya (baris %(rows)s); bila itu impor ulang, jawabannya kini terhitung "
        "dua kali.",
        "%(n)d kuesioner yang baru disimpan sama persis dengan kuesioner kertas yang sudah "
        "tersimpan sebelumnya (baris %(rows)s); bila itu impor ulang, jawabannya kini terhitung "
        "dua kali.",
        found.count,
    ) % {"n": found.count, "rows": _shown(found)}
