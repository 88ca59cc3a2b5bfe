"""docs/api.md, *Retrying a create*, says exactly which creates honour `Idempotency-Key`: its
table names the operations whose view reads the header (the OpenAPI document declares it on
them, kinerja.core.openapi), and the paragraph after it names every other POST answering 201."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from config.api import api

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
PREFIX = "/api/v1"


def _shape(path: str) -> str:
    """`/skp/{skp_id}/rhk` and `/skp/{id}/rhk` alike: `/skp/{}/rhk`."""
    return re.sub(r"\{[^}]*\}", "{}", path.removeprefix(PREFIX))


def _section() -> tuple[set[str], set[str]]:
    """(the POSTs of the table, the POSTs of the text after it) of the section."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Retrying a create", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    after = section.split(table, 1)[1] if table else section

    def posts(part: str) -> set[str]:
        return {_shape(p) for p in re.findall(r"`POST (/[^`\s]*)`", part)}

    return posts(table), posts(after)


def test_the_docs_list_exactly_the_creates_that_honour_the_key() -> None:
    schema = api.get_openapi_schema(path_prefix=f"{PREFIX}/")
    keyed, created = set(), set()
    for path, operations in schema["paths"].items():
        post = operations.get("post")
        if post is None:
            continue
        if "Idempotency-Key" in [p["name"] for p in post.get("parameters", [])]:
            keyed.add(_shape(path))
        if 201 in post["responses"]:
            created.add(_shape(path))
    honoured, ignored = _section()
    assert honoured == keyed
    assert ignored == created - keyed
    assert {"/skp/{}/umpan-balik", "/skp/{}/dialog"} <= honoured
    assert "/skm/layanan/{}/periode" in ignored
