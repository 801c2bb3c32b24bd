"""How a numbered note (a citation) looks on the exported patient pages and the handout.

Independent PEMAT-P reviewers read bare superscript numbers after a number or a spine level as powers:
"L1 to L5¹⁴˒¹⁵", "more than 3 months⁵˒⁶˒⁷˒²⁵" (issue 14). A note is therefore written in brackets, the way
readers know from encyclopaedias ("L5 [14, 15]" raised and small), its numbers in ascending order, each linking to
its item in the page's Sources list; after a digit (a number, a spine level such as L5 or S1) a narrow no-break
space also parts the note from the number, so the two never touch and never fall on different lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["CLASS", "GAP", "mark", "part_from_numbers"]

#: The note's class (``<sup class="cite">``): the pages' CSS styles it; tests find notes by it.
CLASS = "cite"
#: Between a digit and its note: U+202F NARROW NO-BREAK SPACE (thin, and no line break there).
GAP = "\u202f"
_LINK = re.compile(r'<a href="#src-[^"]+">(\d+)</a>')
# A digit, then any closing inline tags (**L5** -> L5</strong>), directly followed by a note.
_AFTER_DIGIT = re.compile(r'(\d(?:</(?:strong|em|b|i|span|code)>)*)(<sup class="' + CLASS + '">)')


def mark(links: Iterable[str], sep: str = ", ") -> str:
    """One note: ``links`` (``<a href="#src-ID">N</a>`` each) in ascending order of N, in brackets, raised.

    Rejects anything but such links, so a caller cannot slip other markup into a note."""
    links = list(links)
    numbers = []
    for link in links:
        found = _LINK.fullmatch(link)
        if not found:
            raise ValueError(f'a note holds links like <a href="#src-S5">1</a>, not {link!r}')
        numbers.append(int(found.group(1)))
    if not links:
        raise ValueError('a note needs at least one link to a source, like <a href="#src-S5">1</a>')
    ordered = [link for _, link in sorted(zip(numbers, links, strict=True), key=lambda pair: pair[0])]
    return f'<sup class="{CLASS}">[{sep.join(ordered)}]</sup>'


def part_from_numbers(html: str) -> str:
    """``html`` with a narrow no-break space (``GAP``) between a digit and the note right after it: "L5 [14]", not
    "L5[14]". Notes after words are left as they are; running it twice changes nothing more."""
    return _AFTER_DIGIT.sub(lambda m: m.group(1) + GAP + m.group(2), html)
