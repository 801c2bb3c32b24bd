"""Every short form of the red-flag list carries each sign (the third PEMAT-P review: "pain that is bad at night" lived
only in the detail of "Cancer now or in the past", so 06's checklist and the handout's "today" list lost it).

The short forms show a flag's label without its detail: 06's tick-box checklist (``redflags.checklist_markdown``),
the handout's "now" and "today" lists, and the session view's strip at the foot of the screen (the "now" signs).
What each sign is called comes from the data (``key_words`` in data/red_flags.yaml, each checked to be in the flag's
sourced detail), never from a copy here.
"""

from __future__ import annotations

import re

import pytest

from sciatica_edu.facts import locales, redflags
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import handout
from sciatica_edu.widgets import session_page

EXAMPLE = Compression("L4-L5", "paracentral", "left", 0.5)
LEVELS = ("emergency", "urgent")


def _checklist_items(locale: str) -> dict[str, list[str]]:
    """06's checklist, item by item, under the heading of each level (headings are the locale's short actions)."""
    loc = locales.get(locale)
    text = redflags.checklist_markdown(locale)
    items: dict[str, list[str]] = {}
    for level in LEVELS:
        part = text.split(f"**{loc.short_action(level).rstrip('.')} if:**", 1)[1].split("\n\n**", 1)[0]
        items[level] = re.findall(r"^- (?:\[ \] )?(.+)$", part, re.M)
    return items


@pytest.mark.parametrize("locale", locales.ids())
def test_06_checklist_ticks_only_the_same_day_signs(locale):
    """Any one "now" sign means going now: a plain list, no box to tick (ticking invites waiting); the "today" signs
    are tick boxes a patient can take to the appointment, as on the handout."""
    loc = locales.get(locale)
    text = redflags.checklist_markdown(locale)
    now, rest = text.split(f"**{loc.short_action('emergency').rstrip('.')} if:**", 1)[1].split("\n\n**", 1)
    assert "[ ]" not in now and now.count("\n- ") == len(redflags.flags_at("emergency", locale))
    assert rest.count("- [ ] ") >= len(redflags.flags_at("urgent", locale))


def _handout_items(locale: str) -> dict[str, list[str]]:
    """The handout's "now" list and its "today" tick-box list, item by item, as a reader sees them."""
    page = handout.handout_html(EXAMPLE, figure="", locale=locale)
    flags = page.split('id="flags-h"', 1)[1].split("</section>", 1)[0]
    now = flags.split('<ul class="now-list">', 1)[1].split("</ul>", 1)[0]
    today = flags.split('<ul class="checklist', 1)[1].split("</ul>", 1)[0]
    read = lambda part: [handout.visible_text(li).strip() for li in re.findall(r"<li>(.*?)</li>", part, re.S)]  # noqa: E731
    return {"emergency": read(now), "urgent": read(today)}


def _strip_items(locale: str) -> dict[str, list[str]]:
    """The session view's strip: the "now" signs, joined by semicolons."""
    html = session_page.red_flag_strip_html(locale)
    listed = re.sub(r"<[^>]+>", "", html).split("Get help now if you have ", 1)[1].split(". ", 1)[0]
    return {"emergency": listed.split("; ")}


SHORT_FORMS = {"06 checklist": _checklist_items, "handout": _handout_items, "session strip": _strip_items}


@pytest.mark.parametrize("locale", locales.ids())
@pytest.mark.parametrize("form", SHORT_FORMS)
def test_every_short_list_names_each_sign_of_every_flag(form, locale):
    items = SHORT_FORMS[form](locale)
    for level, shown in items.items():
        flags = redflags.flags_at(level, locale)
        assert len(shown) == len(flags), f"{form} ({locale}, {level}): {len(shown)} items for {len(flags)} flags"
        for flag, item in zip(flags, shown, strict=True):
            missing = [w for w in flag.key_words if w.lower() not in item.lower()]
            assert not missing, f"{form} ({locale}, {level}): {item!r} does not name {missing} ({flag.id})"


def test_night_pain_is_a_sign_only_with_cancer():
    """Bad nights are usual in sciatica, so night pain alone is no same-day sign (a clinician's review); with cancer
    it is one (S107: "nocturnal spinal pain preventing sleep", refer within 24 hours). The cancer flag's label names
    the cancer and its detail the night pain, and no flag's label offers night pain on its own."""
    flag = redflags.red_flag("cancer_history")
    assert "night" in flag.detail and "cancer" in flag.label.lower() and flag.urgency == "urgent"
    for other in redflags.red_flags():
        assert "night" not in other.label.lower(), other.id


def test_cancer_with_nerve_signs_is_an_emergency_in_every_locale():
    """Cancer with leg pain, weakness, numbness or trouble walking may be the spinal cord or nerves squeezed by it:
    'get help now' (S107), in every locale's box, never only 'today'."""
    flag = redflags.red_flag("cancer_nerve_signs")
    assert "S107" in flag.sources
    for locale in locales.ids():
        assert flag.id in [f.id for f in redflags.flags_at("emergency", locale)], locale



def test_the_today_cancer_sign_sends_nerve_signs_to_get_help_now():
    """Seventh review: someone with past cancer and sciatica fits both cancer lines; the 'today' one must say that
    leg pain, a weak or numb leg or trouble walking means the 'now' line, in the words of that line's own detail."""
    today, now = redflags.red_flag("cancer_history"), redflags.red_flag("cancer_nerve_signs")
    assert today.urgency == "urgent" and now.urgency == "emergency"
    assert "act now, as the box above says" in today.detail.lower() and "do not wait" in today.detail.lower()
    for sign in ("leg pain", "weak", "numb", "trouble walking"):
        assert sign in today.detail and sign in (now.label + now.detail).lower(), sign

def test_key_words_must_come_from_the_sourced_detail():
    """A key word the detail does not say is a data error, so the short lists cannot drift from the sourced words."""
    good = redflags.red_flag("cancer_history").model_dump()
    with pytest.raises(ValueError, match="key_words"):
        redflags.RedFlag(**{**good, "key_words": ("cancer", "tumour")})
    with pytest.raises(ValueError):
        redflags.RedFlag(**{**good, "key_words": ()})
