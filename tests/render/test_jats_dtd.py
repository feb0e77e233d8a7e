"""The JATS writer's output against the JATS Journal Publishing 1.3 DTD, vendored under
tests/vendor/jats-publishing-1.3 (SOURCE.md says from where): zero validity errors for both
samples, our records and every unseen record that publishes.

The document's own DOCTYPE chooses the DTD, as in a journal system: lxml resolves its public
identifier to the vendored file (never the network) and validates while parsing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from publisher.errors import InputError
from publisher.pipeline import build_document
from publisher.render import RenderOptions, jats
from publisher.render.journal import Journal, load_journal

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "tests" / "vendor" / "jats-publishing-1.3"
PUBLIC_ID = "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN"
RECORDS = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "tests" / "render" / "records").glob("*.txt"))
UNSEEN = sorted((ROOT / "tests" / "fixtures" / "unseen").glob("set*/*.txt"))
JOURNAL = Journal(id="jir", issn="2049-3630", title="图像识别评论", publisher="Example Press")


class VendoredDTD(etree.Resolver):
    """The Publishing 1.3 DTD by its public identifier; its modules then resolve beside it."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        if public_id == PUBLIC_ID:
            return self.resolve_filename(str(VENDOR / "JATS-journalpublishing1-3.dtd"), context)
        return None


def validity_errors(xml: bytes) -> list[str]:
    """The DTD's complaints about `xml`, or the reason the DTD could not be loaded at all."""
    parser = etree.XMLParser(dtd_validation=True, no_network=True, resolve_entities=False)
    parser.resolvers.add(VendoredDTD())
    try:
        tree = etree.fromstring(xml, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        return [str(exc)] + [f"{e.line}: {e.message}" for e in parser.error_log]
    assert tree.docinfo.public_id == PUBLIC_ID
    return [f"{e.line}: {e.message}" for e in parser.error_log if e.level_name == "ERROR"]


def render(record: Path, journal: Journal | None = JOURNAL) -> bytes:
    return jats.render(build_document(record), RenderOptions(journal=journal)).value  # type: ignore[return-value]


def published(records: list[Path]) -> Iterator[Path]:
    for record in records:
        try:
            build_document(record)
        except InputError:  # not a record (the E1 / FIRST-CONTACT cases): nothing to validate
            continue
        yield record


def test_the_vendored_dtd_is_whole_and_catches_errors() -> None:
    """A test that cannot fail proves nothing: the DTD loads offline and rejects what it must."""
    good = render(RECORDS[0])
    assert validity_errors(good) == []
    assert etree.DTD(file=str(VENDOR / "JATS-journalpublishing1-3.dtd")).elements()  # every module found
    without_journal = good.replace(good[good.index(b"<journal-meta>"):good.index(b"</journal-meta>") + 15], b"")
    assert any("journal-meta" in e for e in validity_errors(without_journal))
    assert any("bogus" in e for e in validity_errors(good.replace(b"<body>", b"<body><bogus/>", 1)))
    # an article that declares another DTD is not silently checked against this one
    other = good.replace(PUBLIC_ID.encode(), b"-//NLM//DTD JATS (Z39.96) Journal Archiving DTD v9//EN")
    assert validity_errors(other)


@pytest.mark.parametrize("record", RECORDS, ids=[p.name for p in RECORDS])
def test_samples_and_our_records_are_valid(record: Path) -> None:
    assert validity_errors(render(record)) == []


@pytest.mark.slow
def test_every_unseen_record_that_publishes_is_valid() -> None:
    records = list(published(UNSEEN))
    assert len(records) >= 40  # four sets of ten and their edge cases
    found = {r.relative_to(ROOT).as_posix(): errors for r in records if (errors := validity_errors(render(r)))}
    assert found == {}


def test_journal_meta_holds_the_configured_values() -> None:
    root = etree.fromstring(render(RECORDS[0]), etree.XMLParser(load_dtd=False, no_network=True))
    meta = root.find("front/journal-meta")
    assert meta.findtext("journal-id[@journal-id-type='publisher-id']") == "jir"
    assert meta.findtext("journal-title-group/journal-title") == "图像识别评论"
    assert meta.findtext("issn[@publication-format='electronic']") == "2049-3630"
    assert meta.findtext("publisher/publisher-name") == "Example Press"
    assert root.get("dtd-version") == "1.3"


def test_only_what_is_configured_is_written() -> None:
    xml = render(RECORDS[0], Journal(id="jir", issn="2049-3630", issn_format="print"))
    meta = etree.fromstring(xml, etree.XMLParser(load_dtd=False, no_network=True)).find("front/journal-meta")
    assert [child.tag for child in meta] == ["journal-id", "issn"]
    assert meta.find("issn").get("publication-format") == "print"
    assert validity_errors(xml) == []


def test_no_empty_metadata_element() -> None:
    for xml in (render(RECORDS[0]), render(RECORDS[0], None)):
        root = etree.fromstring(xml, etree.XMLParser(load_dtd=False, no_network=True))
        empty = [el.tag for el in root.iterfind("front//*") if not len(el) and not (el.text or "").strip()]
        assert empty == []


def test_without_a_journal_the_article_declares_archiving_and_differs_only_there() -> None:
    """No journal, no true journal-id or ISSN: the Archiving DTD, which lets journal-meta be
    left out. Everything else is the Publishing-valid article, byte for byte."""
    parser = etree.XMLParser(load_dtd=False, no_network=True)
    with_journal = etree.fromstring(render(RECORDS[0]), parser).getroottree()
    without = etree.fromstring(render(RECORDS[0], None), parser).getroottree()
    assert "Archiving and Interchange DTD v1.3" in (without.docinfo.public_id or "")
    assert without.getroot().find("front/journal-meta") is None
    meta = with_journal.getroot().find("front/journal-meta")
    meta.getparent().remove(meta)
    assert etree.tostring(with_journal.getroot()) == etree.tostring(without.getroot())


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('id = "x"\n', "issn"),
        ('issn = "1234-5678"\n', "id"),
        ('id = "x"\nissn = "1234-5678"\nvolume = "3"\n', "unknown journal field volume"),
        ('id = "x"\nissn = ""\n', "non-empty"),
        ('id = "x"\nissn = "1234-5678"\nissn_format = "online"\n', "issn_format"),
        ("id = \n", "not a TOML"),
    ],
)
def test_a_bad_journal_file_is_refused_naming_it(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "journal.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match=complaint) as caught:
        load_journal(path)
    assert str(path) in str(caught.value)


def test_cli_journal_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from publisher.cli import main

    config = tmp_path / "journal.toml"
    config.write_text('id = "jir"\nissn = "2049-3630"\ntitle = "图像识别评论"\n', encoding="utf-8")
    out = tmp_path / "a.xml"
    assert main([str(RECORDS[0]), "--to", "jats", "-o", str(out), "--journal", str(config), "-q"]) == 0
    assert validity_errors(out.read_bytes()) == []
    assert main([str(RECORDS[0]), "--to", "jats", "-o", str(out), "--journal", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml" in capsys.readouterr().err
