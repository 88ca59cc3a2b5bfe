"""stored_files: a file noted inside a block that fails is deleted; one that succeeds is kept
(and handed to the enclosing block, whose failure deletes it too)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile

from kinerja.core import stored_files
from kinerja.progress.models import BuktiDukung


def exists(stored: FieldFile) -> bool:
    assert stored.name
    return bool(default_storage.exists(stored.name))


def saved(name: str) -> FieldFile:
    field = BuktiDukung._meta.get_field("file")
    stored = FieldFile(BuktiDukung(), field, None)
    stored.save(name, ContentFile(b"isi"), save=False)
    return stored


def test_a_failed_block_deletes_what_it_noted() -> None:
    with pytest.raises(RuntimeError), stored_files.deleted_on_failure():
        one = saved("a.txt")
        stored_files.note(one)
        raise RuntimeError("rolled back")
    assert not exists(one)


def test_a_good_block_keeps_its_files_and_an_unnoted_file_is_left_alone() -> None:
    with stored_files.deleted_on_failure():
        kept = saved("b.txt")
        stored_files.note(kept)
    assert exists(kept)
    with pytest.raises(RuntimeError), stored_files.deleted_on_failure():
        other = saved("c.txt")  # never noted
        raise RuntimeError
    assert exists(other)


def test_outside_a_block_note_does_nothing() -> None:
    alone = saved("d.txt")
    stored_files.note(alone)
    assert exists(alone)


def test_an_outer_failure_deletes_the_files_of_an_inner_block_that_succeeded() -> None:
    with pytest.raises(RuntimeError), stored_files.deleted_on_failure():
        with stored_files.deleted_on_failure():
            inner = saved("e.txt")
            stored_files.note(inner)
        assert exists(inner)
        raise RuntimeError
    assert not exists(inner)
