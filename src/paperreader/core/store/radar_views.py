"""The SQL of the radar's two views: "For you" (stored scores) and "New" (since a mark).

``query.conditions`` and ``query.build`` call in here, so the list's first page,
the rest loaded in a thread and the live re-query during a sync all work for these
views as for any other. "For you" lists the suggestions stored by the last refresh
(``radar_scores``), best first; "New" lists papers first stored after the mark the
reader remembered when this session started (meta key :data:`BASELINE`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from paperreader.core.models import PaperFilter

if TYPE_CHECKING:
    from paperreader.core.store import Store
    from paperreader.core.store.query import Conditions, Part

#: Meta key holding the "last opened" mark this session compares with (a ``Seen`` JSON).
BASELINE = "radar.seen.baseline"

# One correlated test per candidate: scored, the score's paper still at that rid (a
# paper re-listed on another day gets a new rid), and not read. Primary-key lookups
# only, so it costs the same at any store size (the scores table holds ~500 rows).
_FOR_YOU = (
    "EXISTS (SELECT 1 FROM radar_scores rs JOIN papers p2 ON p2.rid = rs.rid "
    "AND p2.id = rs.paper_id LEFT JOIN user_state s ON s.paper_id = p2.id "
    "WHERE rs.rid = {R} AND COALESCE(s.read, 0) = 0)"
)
# An index range on first_seen after the mark. A mark from before every write had its
# own stamp may carry an edge (``news``): then the papers at exactly the mark and not in
# it are new too. No mark: nothing is new.
_MARK = (
    "(SELECT json_extract(value, '$.mark') AS mark, json_array_length(value, '$.edge') "
    "AS edged FROM meta WHERE key = ?) b"
)
_NEW = (
    f"{{R}} IN (SELECT p2.rid FROM papers p2, {_MARK} WHERE p2.first_seen > b.mark "
    f"UNION ALL SELECT p2.rid FROM {_MARK}, papers p2 WHERE b.edged > 0 "
    "AND p2.first_seen = b.mark AND p2.id NOT IN (SELECT e.value FROM meta m, "
    "json_each(m.value, '$.edge') e WHERE m.key = ?))"
)


def add_conditions(c: Conditions, flt: PaperFilter) -> None:
    """Add the radar views' terms to ``c`` (nothing for other views)."""
    if flt.view == "foryou":
        c.add(_FOR_YOU)
    elif flt.view == "new":
        c.add(_NEW, BASELINE, BASELINE, BASELINE)


def scored(flt: PaperFilter) -> bool:
    """Whether ``flt`` lists "For you" in score order (no search text, no vote/rising sort)."""
    return flt.view == "foryou" and flt.sort in ("newest", "relevance")


def scored_part(c: Conditions, part_type: type[Part]) -> Part:
    """The "For you" list in score order, best first, under conditions ``c``."""
    where = c.render("r.rid")
    return part_type(
        f"SELECT r.rid FROM radar_scores r WHERE 1{where} ORDER BY r.score DESC, r.rid DESC",
        c.params,
        f"SELECT count(*) FROM radar_scores r WHERE 1{where}",
        c.params,
    )


def favourites_stamp(store: Store) -> tuple[int, str]:
    """How many favourites there are and when the newest was starred (ranking input)."""
    row = store.conn.execute(
        "SELECT count(*), max(favourited_at) FROM user_state WHERE favourite = 1"
    ).fetchone()
    return int(row[0]), str(row[1] or "")


def rids_of(store: Store, ids: list[str]) -> list[int]:
    """The rids of the papers ``ids``, in that order (those stored)."""
    found: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(store.conn.execute(f"SELECT id, rid FROM papers WHERE id IN ({marks})", chunk))
    return [found[i] for i in ids if i in found]
