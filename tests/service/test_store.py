"""The draft store: ids, persistence, deletion, and leftovers of interrupted writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.model import Document
from publisher.service.store import ID_RE, SUFFIXES, DraftStore, is_valid_id


def add(store: DraftStore, title: str = "标题") -> str:
    return store.add(Document(title=title, language="zh"), '{"title": "x"}', "a.txt").id


def test_ids_match_the_strict_pattern(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    ids = {add(store) for _ in range(20)}
    assert len(ids) == 20
    assert all(ID_RE.fullmatch(i) for i in ids)


def test_drafts_survive_a_new_store_on_the_same_folder(tmp_path: Path) -> None:
    draft_id = add(DraftStore(tmp_path), "持久")
    again = DraftStore(tmp_path).get(draft_id)
    assert again is not None and again.title == "持久" and again.document == '{"title": "x"}'


@pytest.mark.parametrize("bad", ["", "../drafts.sqlite3", "a" * 21, "a" * 23, "a" * 21 + "/", "a" * 21 + ".",
                                 "a" * 21 + "\n", "ａ" * 22])
def test_malformed_ids_never_touch_a_file(tmp_path: Path, bad: str) -> None:
    store = DraftStore(tmp_path)
    assert not is_valid_id(bad)
    assert store.get(bad) is None and not store.exists(bad) and not store.delete(bad)
    with pytest.raises(ValueError):
        store.file_path(bad, "docx")


def test_delete_removes_row_and_every_file(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    keep, gone = add(store), add(store)
    for kind in SUFFIXES:
        store.file_path(gone, kind).write_bytes(b"x")
        store.file_path(keep, kind).write_bytes(b"x")
    assert store.delete(gone)
    assert not store.exists(gone) and not store.delete(gone)
    assert not list(store.files.glob(gone + "*"))
    assert len(list(store.files.glob(keep + "*"))) == len(SUFFIXES)


def test_leftovers_of_interrupted_writes_are_removed(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    draft_id = add(store)
    leftover = store.files / f".{draft_id}.docx.abc123.tmp"
    leftover.write_bytes(b"half")
    done = store.file_path(draft_id, "docx")
    done.write_bytes(b"whole")
    DraftStore(tmp_path)
    assert not leftover.exists() and done.read_bytes() == b"whole"
