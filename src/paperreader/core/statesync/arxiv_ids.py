"""Finding arXiv ids in the ways people write them: bare, ``arXiv:``, DOIs and URLs."""

from __future__ import annotations

import re
from collections.abc import Mapping

from paperreader.core.text import normalize_paper_id

# New style (0704.0001 onwards) or old style (hep-th/9901001, math.GT/0309136), any version.
_ID = r"(\d{4}\.\d{4,5}(?!\d)|[a-z][a-z-]*(?:\.[a-z]{2})?/\d{7}(?!\d))(?:v\d+)?"

_BARE = re.compile(rf"(?:arxiv:\s*)?{_ID}", re.IGNORECASE)
_MENTIONS = re.compile(
    "|".join(
        (
            rf"arxiv\.org/(?:abs|pdf|html|format)/{_ID}",
            rf"(?:huggingface|hf)\.co/papers/{_ID}",
            rf"10\.48550/arxiv\.{_ID}",
            rf"\barxiv:\s*{_ID}",
        )
    ),
    re.IGNORECASE,
)


def bare_arxiv_id(text: str) -> str | None:
    """The id if ``text`` is nothing but an arXiv id (``arXiv:`` and a version allowed)."""
    match = _BARE.fullmatch(text.strip())
    return normalize_paper_id(match.group(1)) if match else None


def mentioned_arxiv_id(text: str) -> str | None:
    """The first arXiv id in ``text`` given as a URL (arXiv, Hugging Face), DOI or ``arXiv:``."""
    for match in _MENTIONS.finditer(text):
        found = next(group for group in match.groups() if group)
        paper_id = normalize_paper_id(found)
        if paper_id:
            return paper_id
    return None


def find_arxiv_id(text: str) -> str | None:
    """A bare id, else the first mentioned one."""
    return bare_arxiv_id(text) or mentioned_arxiv_id(text)


# Fields that name the entry itself (not the works it cites), most specific first.
_ID_FIELDS = ("arxiv", "arxivid", "arxiv_id", "arxiv-id")
_MENTION_FIELDS = (
    "doi",
    "url",
    "eprinturl",
    "note",
    "journal",
    "journaltitle",
    "howpublished",
    "number",
    "publisher",
    "booktitle",
    "pdf",
    "link",
)


def bibtex_arxiv_id(fields: Mapping[str, str]) -> str | None:
    """The arXiv id of a BibTeX entry (lower-case field names), from the fields tools use.

    ``eprint`` counts when ``archivePrefix``/``eprinttype`` is arXiv or absent; then arXiv
    id fields (Mendeley's ``arxivId``); then URLs, arXiv DOIs and ``arXiv:…`` in fields
    such as ``url``, ``doi``, ``note`` (Zotero) or ``journal`` (Google Scholar). The
    abstract and title are never searched: they may cite other papers.
    """
    prefix = fields.get("archiveprefix", fields.get("eprinttype", "arxiv"))
    if "eprint" in fields and prefix.strip("{} ").lower() == "arxiv":
        found = find_arxiv_id(_unbraced(fields["eprint"]))
        if found:
            return found
    for names, finder in ((_ID_FIELDS, find_arxiv_id), (_MENTION_FIELDS, mentioned_arxiv_id)):
        for name in names:
            value = fields.get(name)
            found = finder(_unbraced(value)) if value else None
            if found:
                return found
    return None


def _unbraced(value: str) -> str:
    return value.replace("{", "").replace("}", "")
