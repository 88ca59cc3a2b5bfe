"""The English catalogue (locale/en/LC_MESSAGES/django.po, refreshed with `makemessages -l en`)
has a translation for every message: nothing empty, nothing left fuzzy (compilemessages skips
fuzzy entries, so the English page would show the Indonesian text)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> list[list[str]]:
    blocks = [block.splitlines() for block in text.split("\n\n")]
    return [lines for lines in blocks[1:] if any(line.startswith("msgid") for line in lines)]


def translations(lines: list[str]) -> list[str]:
    """The msgstr (or each msgstr[n]) of one entry, its quoted pieces joined."""
    found: list[str] = []
    for line in lines:
        if line.startswith("msgstr"):
            found.append(ast.literal_eval(line.split(" ", 1)[1]))
        elif line.startswith('"') and found:
            found[-1] += ast.literal_eval(line)
        elif line.startswith("msgid"):
            found = []
    return found


def test_every_message_has_an_english_translation() -> None:
    items = entries(CATALOGUE.read_text(encoding="utf-8"))
    assert len(items) > 1000  # the whole catalogue was read
    fuzzy = [lines for lines in items if any(x.startswith("#,") and "fuzzy" in x for x in lines)]
    empty = [lines for lines in items if not all(translations(lines))]
    assert fuzzy == [] and empty == []


def test_the_check_sees_an_empty_or_fuzzy_entry() -> None:
    sample = (
        'msgid ""\nmsgstr "header"\n\nmsgid "Ubah"\nmsgstr ""\n\n#, fuzzy\nmsgid "A"\nmsgstr "B"\n'
    )
    [empty, fuzzy] = entries(sample)
    assert translations(empty) == [""] and translations(fuzzy) == ["B"]
    assert translations(['msgid "a"', 'msgstr ""', '"Sa"', '"ve"']) == ["Save"]


def text_templates() -> dict[str, str]:
    """Every `Text("…")` template in the code, with the file it is in."""
    found: dict[str, str] = {}
    for path in (Path(settings.BASE_DIR) / "kinerja").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Text":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), path
                found[first.value] = str(path)
    return found


def msgid(lines: list[str]) -> str:
    """The msgid of one entry, its quoted pieces joined."""
    text, reading = "", False
    for line in lines:
        if line.startswith("msgid "):
            text, reading = ast.literal_eval(line.split(" ", 1)[1]), True
        elif line.startswith('"') and reading:
            text += ast.literal_eval(line)
        else:
            reading = False
    return text


def test_every_rule_message_is_in_the_catalogue() -> None:
    templates = text_templates()
    assert len(templates) >= 20  # the rules' messages were found
    msgids = {msgid(lines) for lines in entries(CATALOGUE.read_text(encoding="utf-8"))}
    assert {text: path for text, path in templates.items() if text not in msgids} == {}
