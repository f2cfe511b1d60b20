"""Import files: our JSON export, BibTeX (Zotero and friends), plain lists; bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string

from paperreader.core.export import export
from paperreader.core.models import Paper, PaperRecord
from paperreader.core.statesync.arxiv_ids import find_arxiv_id
from paperreader.core.statesync.bibtex import parse_bibtex
from paperreader.core.statesync.importer import (
    MAX_BYTES,
    ImportFileError,
    ImportItem,
    parse_import,
    read_import_file,
)
from paperreader.core.store.notes_tags import Annotation

# What Zotero (native and Better BibTeX), Google Scholar, Mendeley and JabRef write.
ZOTERO = r"""
This text outside entries is a comment.
@preamble{ "\newcommand{\noop}[1]{}" }
@string{ arxivpub = "arXiv" }
@comment{jabref-meta: databaseType:bibtex; {nested} }

@misc{vaswani_attention_2023,
	title = {Attention {Is} {All} {You} {Need}},
	url = {http://arxiv.org/abs/1706.03762},
	doi = {10.48550/arXiv.1706.03762},
	abstract = {The dominant sequence transduction models ... see arXiv:1409.0473 for attention.},
	urldate = {2024-01-01},
	publisher = arxivpub,
	author = {Vaswani, Ashish and Shazeer, Noam},
	month = aug,
	year = {2023},
	note = {arXiv:1706.03762 [cs]},
	keywords = {Computer Science - Computation and Language},
	file = {arXiv Fulltext PDF:/home/me/Zotero/storage/ABC/Vaswani - 2023.pdf:application/pdf},
}

@article{devlinBERTPretrainingDeep2019,
  title = {{{BERT}}: {{Pre-training}} of {{Deep Bidirectional Transformers}}},
  author = {Devlin, Jacob and Chang, Ming-Wei},
  year = {2019},
  eprint = {1810.04805},
  eprinttype = {arxiv},
  primaryclass = {cs},
}

@article{brown2020language,
  title={Language models are few-shot learners},
  author={Brown, Tom and others},
  journal={arXiv preprint arXiv:2005.14165},
  year={2020}
}

@article{Raffel2019,
  arxivId = {1910.10683v3},
  author = {Raffel, Colin},
  title = "Exploring the Limits of {"}Transfer{"} Learning",
}

@misc(hf_daily,
  title = {A paper seen on Hugging Face},
  url = {https://huggingface.co/papers/2401.00001},
)

@inproceedings{witten1998,
  title = {Old-style id},
  url = {https://arxiv.org/pdf/hep-th/9802150v2.pdf},
}

@Article{Knuth1984,
  author = {Donald E. Knuth},
  title = {Literate Programming},
  journal = {The Computer Journal},
  doi = {10.1093/comjnl/27.2.97},
}

@misc{pubmed2020,
  eprint = {32015507},
  archiveprefix = {PubMed},
  title = {Not on arXiv},
}
"""

ZOTERO_IDS = [
    "1706.03762",
    "1810.04805",
    "2005.14165",
    "1910.10683",
    "2401.00001",
    "hep-th/9802150",
]


def record(pid: str, *, read: bool = False, favourite: bool = False) -> PaperRecord:
    paper = Paper(id=pid, title=f"Paper {pid}", authors=("Ada Lovelace",))
    return PaperRecord(paper, read=read, favourite=favourite)


# --- our JSON export -------------------------------------------------------------------------


def test_our_json_export_gives_ids_marks_tags_and_notes() -> None:
    records = [record("2401.00001", read=True), record("2401.00002", favourite=True)]
    notes = {"2401.00002": Annotation("line one\n\nline two", ("llm", "to-read"))}
    result = parse_import(export(records, "json", notes).encode())
    assert result.format == "json"
    assert result.items == [
        ImportItem("2401.00001", "item 1", read=True, favourite=False, tags=(), note=None),
        ImportItem(
            "2401.00002",
            "item 2",
            read=False,
            favourite=True,
            tags=("llm", "to-read"),
            note="line one\n\nline two",
        ),
    ]


def test_json_tags_and_note_are_kept_when_present() -> None:
    data = [{"id": "2401.00003v2", "tags": ["llm", " rl ", "llm", "", 4], "note": "good"}]
    (item,) = parse_import(json.dumps(data).encode()).items
    assert (item.arxiv_id, item.tags, item.note, item.read) == (
        "2401.00003",
        ("llm", "rl"),
        "good",
        None,
    )


def test_json_items_without_an_id_are_skipped_with_a_reason() -> None:
    data = ["https://arxiv.org/abs/2401.00004", {"title": "no id"}, 7, {"id": "2401.00004"}]
    result = parse_import(json.dumps(data).encode())
    assert [i.arxiv_id for i in result.items] == ["2401.00004"]
    assert result.skipped == [
        "item 2: no arXiv id",
        "item 3: no arXiv id",
        "item 4: 2401.00004 again (first at item 1)",
    ]


# --- BibTeX ----------------------------------------------------------------------------------


def test_zotero_like_bibtex_finds_every_arxiv_paper() -> None:
    result = parse_import(ZOTERO.encode())
    assert result.format == "bibtex"
    assert [i.arxiv_id for i in result.items] == ZOTERO_IDS
    assert result.items[0].source == "entry vaswani_attention_2023 (line 7)"
    assert result.skipped == [
        "entry Knuth1984 (line 54): no arXiv id",
        "entry pubmed2020 (line 61): no arXiv id",
    ]


def test_our_scanner_reads_the_sample_as_pybtex_does() -> None:
    ours, errors = parse_bibtex(ZOTERO)
    theirs = parse_string(ZOTERO, "bibtex").entries
    assert errors == []
    assert [e.key for e in ours] == list(theirs)
    for entry in ours:
        expected = {k.lower(): str(v) for k, v in theirs[entry.key].fields.items()}
        assert {k: v for k, v in entry.fields.items() if k != "author"} == expected


def test_our_bibtex_export_imports_back() -> None:
    records = [record("2401.00001"), record("2312.12345"), record("math.GT/0309136")]
    result = parse_import(export(records, "bibtex").encode())
    assert sorted(i.arxiv_id for i in result.items) == [
        "2312.12345",
        "2401.00001",
        "math.GT/0309136",
    ]


def test_a_broken_entry_is_reported_and_does_not_hide_the_next() -> None:
    bib = "@misc{a, title = {never closed\n\n@misc{b, eprint = {2401.00005}}\n"
    result = parse_import(bib.encode())
    assert [i.arxiv_id for i in result.items] == ["2401.00005"]
    assert result.skipped == ["entry at line 1: unbalanced braces (line 1)"]


def zotero_entry(n: int) -> str:
    """One Zotero-style entry of realistic size (about 1 KB) for paper 2401.<n>."""
    return f"""@misc{{author_title_{n},
\ttitle = {{A {{Study}} of {{Things}} number {n}}},
\turl = {{http://arxiv.org/abs/2401.{n:05d}}},
\tdoi = {{10.48550/arXiv.2401.{n:05d}}},
\tabstract = {{{"We study things, {and} other things. " * 20}}},
\tpublisher = {{arXiv}},
\tauthor = {{Lovelace, Ada and Babbage, Charles and Hopper, Grace}},
\tmonth = jan,
\tyear = {{2024}},
\tnote = {{arXiv:2401.{n:05d} [cs]}},
\tkeywords = {{Computer Science - Machine Learning}},
}}
"""


def test_a_500_entry_library_is_read_whole() -> None:
    result = parse_import("\n".join(zotero_entry(n) for n in range(500)).encode())
    assert len(result.items) == 500 and result.skipped == []
    assert result.items[-1] == ImportItem("2401.00499", "entry author_title_499 (line 6488)")


_PLAIN = st.text(st.characters(codec="utf-8", exclude_characters='{}"\\'), max_size=20)
_ANY = st.text(st.characters(codec="utf-8", exclude_characters="{}\\"), max_size=20)
# Inside braces a double quote is just a character, even in a quoted value.
_GROUP = st.recursive(_ANY, lambda inner: st.lists(inner, max_size=3).map("{{{}}}".format))
_VALUE = st.lists(_PLAIN | _GROUP.map("{{{}}}".format), max_size=3).map("".join)


@settings(max_examples=100, deadline=None)
@given(
    entries=st.lists(
        st.tuples(
            st.from_regex(r"[a-z][a-z0-9_:]{0,12}", fullmatch=True),
            st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), _VALUE, max_size=4),
            st.booleans(),
        ),
        max_size=4,
        unique_by=lambda e: e[0],
    )
)
def test_generated_bibtex_reads_the_same_as_with_pybtex(
    entries: list[tuple[str, dict[str, str], bool]],
) -> None:
    chunks = []
    for key, fields, quoted in entries:
        body = ",\n".join(
            f'  {k} = "{v}"' if quoted else f"  {k} = {{{v}}}"
            for k, v in fields.items()
            if k not in ("author", "editor")
        )
        chunks.append(f"@misc{{{key},\n{body}\n}}")
    source = "\n\n".join(chunks)
    theirs = parse_string(source, "bibtex").entries
    ours, errors = parse_bibtex(source)
    assert errors == []
    assert [e.key for e in ours] == list(theirs)
    for entry in ours:
        assert entry.fields == {k.lower(): str(v) for k, v in theirs[entry.key].fields.items()}


# --- plain lists -----------------------------------------------------------------------------


def test_a_list_of_ids_and_urls_in_every_usual_shape() -> None:
    listing = """# papers to read
2401.00001
arXiv:2401.00002v3
https://arxiv.org/abs/2401.00003v2   a title after the URL
https://arxiv.org/pdf/2401.00004.pdf
https://huggingface.co/papers/2401.00005

http://export.arxiv.org/abs/hep-th/9901001
https://doi.org/10.48550/arXiv.2401.00006
2401.00001
see the wiki
"""
    result = parse_import(listing.encode())
    assert result.format == "list"
    assert [i.arxiv_id for i in result.items] == [
        "2401.00001",
        "2401.00002",
        "2401.00003",
        "2401.00004",
        "2401.00005",
        "hep-th/9901001",
        "2401.00006",
    ]
    assert result.items[2].source == "line 4"
    assert result.skipped == [
        "line 10: 2401.00001 again (first at line 2)",
        "line 11: not an arXiv id or URL: “see the wiki”",
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("2401.000012", None),  # six digits: not an id
        ("12401.00001", None),
        ("arxiv.org/abs/2401.000012", None),
        ("https://arxiv.org/abs/1501.00001v12", "1501.00001"),
        ("ARXIV:1501.00001", "1501.00001"),
    ],
)
def test_id_finding_does_not_cut_longer_numbers(text: str, found: str | None) -> None:
    assert find_arxiv_id(text) == found


def test_utf16_and_latin1_files_are_read() -> None:
    assert parse_import("2401.00001\n".encode("utf-16")).items[0].arxiv_id == "2401.00001"
    latin = "@misc{m\xfcller, title = {M\xfcller}, eprint = {2401.00007}}".encode("latin-1")
    result = parse_import(latin)
    assert result.items[0].source == "entry müller (line 1)"


# --- bad files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "notes.txt is empty"),
        (b"  \n\t\n", "notes.txt is empty"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "notes.txt looks like a binary file, not text"),
        (bytes(range(1, 32)) * 50 + b"\xff", "notes.txt looks like a binary file, not text"),
        (b"hello world\nsecond line\n", "notes.txt is not a paperreader JSON export, BibTeX"),
        (b"# only a comment\n", "(only comments)"),
        (b'[{"id": "2401.00001",}]', "notes.txt is not valid JSON (line 1, column 22:"),
        (b'{"version": 3}', "notes.txt is JSON but not a paperreader export"),
        (b"[]", "notes.txt is JSON but not a paperreader export"),
        (b'[{"title": "x"}]', "notes.txt: none of its 1 JSON items has an arXiv id"),
        (b"[" * 100_000, "notes.txt is not valid JSON"),
        (ZOTERO.split("@Article")[1].join(["@Article", ""]).encode(), "no arXiv papers in its 2"),
        (b"@misc{x, title={a}\n", "no arXiv papers in its 0 BibTeX entries (entry at line 1"),
    ],
)
def test_a_bad_file_gives_one_clear_line(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_import(data, "notes.txt")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_file_over_50_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.bib"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: stat says 50 MB, nothing to read
    with pytest.raises(ImportFileError, match=r"huge.bib is too big to import \(50.0 MB"):
        read_import_file(huge)
    with pytest.raises(ImportFileError, match="too big"):
        parse_import(b" " * (MAX_BYTES + 1))


def test_missing_files_folders_and_odd_names_give_one_line(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"nope\.txt: no such file"):
        read_import_file(tmp_path / "nope.txt")
    with pytest.raises(ImportFileError, match="is a folder"):
        read_import_file(tmp_path)
    odd = tmp_path / "a\x1b]0;pwned\x07\nb.txt"
    odd.write_bytes(b"")
    with pytest.raises(ImportFileError) as caught:
        read_import_file(odd)
    assert "\x1b" not in str(caught.value) and "\n" not in str(caught.value)


def test_a_file_on_disk_is_read(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("https://huggingface.co/papers/2401.00008\n")
    assert read_import_file(path).items == [ImportItem("2401.00008", "line 1")]
