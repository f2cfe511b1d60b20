"""How the reading view looks: its stylesheet and the Rich styles it paints each role with.

Roles (headings, math, code, matches…) come from the headless layout; each has a component
class here, so a theme or a user's CSS can restyle it.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget

from paperreader.core.fulltext.paint import DEFAULT_STYLES, ROLES

# No scrollbar: redrawing it on every scroll step cost more than the text (about
# 3 of 8 ms per key). The host shows ``progress`` (sent with every Moved) instead.
READING_CSS = """
    ReadingView { overflow-y: scroll; overflow-x: hidden; scrollbar-size-vertical: 0; }
    ReadingView > .reading-view--h1 { color: $accent; text-style: bold underline; }
    ReadingView > .reading-view--h2 { color: $accent; text-style: bold; }
    ReadingView > .reading-view--h3 { color: $primary; text-style: bold; }
    ReadingView > .reading-view--math, ReadingView > .reading-view--math-block {
        color: $secondary;
    }
    ReadingView > .reading-view--code, ReadingView > .reading-view--code-block {
        color: $success;
    }
    ReadingView > .reading-view--figure { color: $warning; }
    ReadingView > .reading-view--match { background: $warning 40%; }
    ReadingView > .reading-view--match-current { background: $warning; color: $text; }
"""


def component(role: str) -> str:
    """The component class that styles ``role`` (``h1``, ``math.block``…)."""
    return "reading-view--" + role.replace(".", "-")


def palette(widget: Widget) -> dict[str, Style]:
    """Each role's Rich style: the layout's default under the widget's component style."""
    default = Style()
    return {
        role: DEFAULT_STYLES.get(role, default)
        + widget.get_component_rich_style(component(role), partial=True, default=default)
        for role in ROLES
    }
