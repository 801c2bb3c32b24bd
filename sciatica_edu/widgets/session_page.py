"""The session view's page: its steps bar, CSS, red-flag strip and the short HTML pieces around the figures.

Plain functions returning strings (no widgets), so the view (``widgets.session``) stays wiring and tests read the
page's words directly. Every clinical sentence comes from ``data/`` through the facts and ``model.words``.
"""

from __future__ import annotations

import json
from html import escape

from sciatica_edu.facts import anatomy, locales, redflags
from sciatica_edu.model.scenario import Compression
from sciatica_edu.model.words import level_words, pressing_sentence, warning_sentences

#: The talk's steps: (id, button label, the notebook headings that open it). The page shows one step at a time
#: (the template's step script); headings not listed stay with the step before them.
STEPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("start", "Start", ("Your sciatica: a ten-minute talk", "What you will learn", "Before you start")),
    ("what", "What it is", ("What sciatica is",)),
    ("where", "Where you feel it", ("Where you may feel it",)),
    ("pressing", "What is pressing", ("What is pressing on the nerve",)),
    ("better", "Getting better", ("How it gets better",)),
    ("help", "Get help fast", ("When to get help fast",)),
    ("summary", "Summary", ("Summary", "Sources")),
)


#: The step shown when the page opens: the body diagram with its presets and controls.
FIRST_STEP = "where"


def steps_nav_html() -> str:
    """The step bar: one button per step of the talk (the template's script shows that step's cells)."""
    headings = {h: sid for sid, _label, heads in STEPS for h in heads}
    current = ' aria-current="step"'
    buttons = "".join(
        f'<button type="button" class="sciatica-step" data-step="{sid}"{current if sid == FIRST_STEP else ""}>'
        f'<span class="sciatica-step-n">{i}</span> {escape(label)}</button>'
        for i, (sid, label, _heads) in enumerate(STEPS, 1)
    )
    return (
        f'<nav class="sciatica-steps sciatica-dock-top" aria-label="The talk, step by step" '
        f"data-first=\"{FIRST_STEP}\" data-headings='{escape(json.dumps(headings), quote=True)}'>{buttons}</nav>"
    )


def page_css() -> str:
    """Styles for the session: big controls and text. In Voila: one screen per step, the diagram beside its
    controls (above them on narrow screens) and scaled to the space left, the red-flag strip always on screen."""
    return """
.sciatica-session { font-size: 20px; }
.sciatica-session .widget-button, .sciatica-session .jupyter-button,
.sciatica-session .widget-toggle-button { font-size: 20px !important; height: auto !important;
  min-height: 2.6em; padding: 0.35em 0.9em !important; line-height: 1.25 !important; white-space: normal !important; }
.sciatica-session .widget-label, .sciatica-session .widget-label-basic, .sciatica-session .widget-readout,
.sciatica-session label, .sciatica-session .widget-inline-hbox .widget-label { font-size: 20px !important;
  line-height: 1.6 !important; }
.sciatica-session .widget-dropdown select { font-size: 20px !important; height: 2.2em !important; }
.sciatica-session .widget-slider .noUi-target { height: 10px; }
.sciatica-session .widget-slider .noUi-handle { width: 26px !important; height: 26px !important; top: -9px !important;
  border-radius: 50% !important; }
.sciatica-session .widget-checkbox input { width: 22px; height: 22px; }
.sciatica-session .widget-html, .sciatica-session .widget-html-content { font-size: 20px; line-height: 1.5; }
.sciatica-session .sciatica-description, .sciatica-session .sciatica-description li { font-size: 20px !important; }
.sciatica-presets { gap: 0.5em; flex-wrap: wrap; margin: 0.3em 0 0.8em 0; }
.sciatica-presets .jupyter-button { min-width: 12em; font-weight: 600; }
/* the picture on screen: white on a darker teal than ipywidgets' "info" (5.6:1, readable at any text size) */
.sciatica-presets .jupyter-button.mod-info { background-color: #00707a !important; color: #fff !important; }
.sciatica-session :focus-visible { outline: 4px solid #1f5fbf !important; outline-offset: 2px; }
.sciatica-handout-status { font-size: 18px; }
.sciatica-redflag-strip { border: 3px solid #b00020; background: #fff4f4; color: #1a1a1a; padding: 0.4em 0.9em;
  font-size: 18px; line-height: 1.4; border-radius: 6px; }
.sciatica-steps { display: none; }
.sciatica-fullscreen { display: none !important; }

/* ---- Voila (`sciatica-edu present`): the template docks the step bar and the strip (fixed bars on <body>). */
body[data-voila] .sciatica-dock { position: fixed; left: 0; right: 0; z-index: 1000; }
body[data-voila] .sciatica-dock-bar-top { top: 0; }
body[data-voila] .sciatica-dock-bar-bottom { bottom: 0; }
/* six "now" signs take three lines on a laptop: keep them tight */
body[data-voila] .sciatica-dock-bar-bottom .sciatica-redflag-strip { border-radius: 0; border-width: 3px 0 0 0;
  margin: 0; line-height: 1.3; padding: 0.3em 0.9em; }
body[data-voila] .sciatica-steps { display: flex; flex-wrap: wrap; gap: 0.3em; padding: 0.35em 0.6em;
  background: #f3f5f8; border-bottom: 2px solid #d0d7de; font-size: 18px; }
body[data-voila] .sciatica-step { font: inherit; font-size: 18px; padding: 0.3em 0.8em; min-height: 2.3em;
  border: 2px solid #9aa7b4; border-radius: 6px; background: #fff; color: #1a1a1a; cursor: pointer; }
body[data-voila] .sciatica-step[aria-current="step"] { background: #1f5fbf; border-color: #1f5fbf; color: #fff;
  font-weight: 700; }
body[data-voila] .sciatica-step-n { font-weight: 700; }
body[data-voila] .sciatica-step:focus-visible { outline: 4px solid #1f5fbf; outline-offset: 2px; }
body[data-voila] [data-sciatica-step][hidden] { display: none !important; }
/* the step's heading is in the bar already: keep it for screen readers, not on screen, where space is short */
body[data-voila] [data-sciatica-step="where"] h2 { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; margin: 0; padding: 0; border: 0; }
body[data-voila] #rendered_cells > div { padding: 0.5em 1.2em 1.2em 1.2em !important; }
/* each step starts at the top of the screen: no rule or gap above its heading */
body[data-voila] .jp-RenderedHTMLCommon > h2:first-child { margin-top: 0.2em; border-top: 0; padding-top: 0; }
body[data-voila] [data-sciatica-step="where"] .jp-Cell { padding-top: 0; padding-bottom: 0; }
body[data-voila] [data-sciatica-step="where"] .jp-Cell-outputWrapper { margin-top: 0; }

/* the diagram step: controls in a column beside the diagram; the diagram fills the rest of the screen */
body[data-voila] .sciatica-stage { display: grid !important; grid-template-columns: minmax(330px, 400px) minmax(0, 1fr);
  grid-template-areas: "side fit" "words words"; gap: 0.4em 1em; align-items: start; width: 100%; }
body[data-voila] .sciatica-side { grid-area: side; min-width: 0; width: auto !important; font-size: 18px; }
body[data-voila] .sciatica-fit { grid-area: fit; min-width: 0; overflow: hidden; position: relative;
  height: calc(100vh - var(--sciatica-dock-top, 0px) - var(--sciatica-dock-bottom, 0px) - 1.3em); }
body[data-voila] .sciatica-stage > .sciatica-description { grid-area: words; max-width: 46em !important; }
.sciatica-figure-warning .sciatica-figure-warning-text { border: 3px solid #b00020; background: #fff; color: #8a0018;
  padding: 0.3em 0.7em; font-size: 20px; line-height: 1.35; border-radius: 6px; }
body[data-voila] .sciatica-fit > .sciatica-figure-warning { position: absolute; left: 0; right: 0.5em; top: 0;
  z-index: 2; }
body[data-voila] .sciatica-side .widget-label, body[data-voila] .sciatica-side label,
body[data-voila] .sciatica-side .widget-readout, body[data-voila] .sciatica-side select,
body[data-voila] .sciatica-side button { font-size: 18px !important; }
body[data-voila] .sciatica-side .widget-html-content { font-size: 18px; line-height: 1.35; }
body[data-voila] .sciatica-side .sciatica-controls { width: 100%; }
body[data-voila] .sciatica-side .sciatica-controls > .widget-inline-hbox,
body[data-voila] .sciatica-side .widget-dropdown, body[data-voila] .sciatica-side .widget-slider {
  width: 100% !important; min-height: 2.2em; margin: 0.1em 0; }
body[data-voila] .sciatica-side .widget-inline-hbox .widget-label { width: 8.7em !important; min-width: 8.7em; }
body[data-voila] .sciatica-side .widget-toggle-button { min-height: 2.1em; width: 4.3em !important; }
body[data-voila] .sciatica-side .sciatica-controls > .widget-html:first-child { display: none; }
body[data-voila] .sciatica-side .sciatica-controls .widget-checkbox { height: 1.8em !important; margin-top: 0;
  margin-bottom: 0; }
body[data-voila] .sciatica-side .sciatica-controls .widget-inline-hbox { min-height: 2.1em; }
body[data-voila] .sciatica-side .jupyter-button { min-height: 2.2em; padding: 0.2em 0.6em !important; }
body[data-voila] .sciatica-side .sciatica-presets { display: grid !important; grid-template-columns: 1fr 1fr;
  gap: 0.35em; margin: 0.2em 0 0.5em 0; }
body[data-voila] .sciatica-side .sciatica-presets .jupyter-button { min-width: 0; width: auto !important; margin: 0; }
body[data-voila] .sciatica-side .widget-checkbox { margin-right: 0.8em !important; }
body[data-voila] .sciatica-side .widget-checkbox label { font-size: 18px !important; }
body[data-voila] .sciatica-side .sciatica-actions { gap: 0.4em; flex-wrap: wrap; margin-top: 0.5em; }
.sciatica-handout-link { display: flex; gap: 0.8em; align-items: center; margin: 0.4em 0 0 0; font-size: 18px; }
.sciatica-handout-link .sciatica-handout-open { font-size: 18px; font-weight: 700; min-height: 2.2em;
  padding: 0.2em 0.8em; }
.sciatica-handout-link .sciatica-handout-save { text-decoration: underline; }
.sciatica-handout-link .sciatica-handout-open { white-space: nowrap; width: auto; }
body[data-voila] .sciatica-side .sciatica-handout-status { width: 100%; }
body[data-voila] .sciatica-side .sciatica-handout-status .widget-html-content { white-space: normal;
  overflow-wrap: anywhere; font-size: 16px; line-height: 1.35; }
body[data-voila] .sciatica-fullscreen { display: inline-flex !important; }
/* large screens and projectors: a wider column with the page's full-size text */
@media (min-width: 1700px) {
  body[data-voila] .sciatica-stage { grid-template-columns: minmax(330px, 470px) minmax(0, 1fr); }
  body[data-voila] .sciatica-side .widget-label, body[data-voila] .sciatica-side label,
  body[data-voila] .sciatica-side .widget-readout, body[data-voila] .sciatica-side select,
  body[data-voila] .sciatica-side button,
  body[data-voila] .sciatica-side .widget-checkbox label { font-size: 20px !important; }
  body[data-voila] .sciatica-side .widget-html-content { font-size: 20px; }
}
/* narrower screens: the controls become a compact bar above the diagram (presets in a row, then the controls side
   by side); the diagram below it fills the screen when scrolled to */
@media (max-width: 1199px) {
  body[data-voila] .sciatica-stage { grid-template-columns: minmax(0, 1fr); grid-template-areas: "side" "fit" "words"; }
  body[data-voila] .sciatica-side { display: flex !important; flex-flow: row wrap; gap: 0.1em 1em;
    align-items: center; }
  body[data-voila] .sciatica-side > .widget-html:not(.sciatica-handout-status) { display: none; }
  body[data-voila] .sciatica-side .sciatica-presets { display: flex !important; flex-flow: row wrap; width: 100%; }
  body[data-voila] .sciatica-side .sciatica-controls { display: flex !important; flex-flow: row wrap; width: 100%;
    gap: 0 1.2em; align-items: center; }
  body[data-voila] .sciatica-side .sciatica-controls > * { width: auto !important; flex: 0 1 auto; }
  body[data-voila] .sciatica-side .sciatica-controls > .widget-dropdown,
  body[data-voila] .sciatica-side .sciatica-controls > .widget-slider { width: 26em !important; }
  body[data-voila] .sciatica-side .sciatica-controls .widget-vbox > .widget-html { display: none; }
  body[data-voila] .sciatica-side .widget-toggle-buttons .widget-label { width: auto !important; min-width: 0; }
  body[data-voila] .sciatica-side .sciatica-actions { margin: 0; }
}
/* full-screen diagram (projector): only the diagram and its toggle, as large as the screen above the strip allows
   (widget boxes carry CSS containment, so this stays in the page's flow rather than position:fixed) */
body.sciatica-projector .sciatica-dock-bar-top { display: none; }
body.sciatica-projector .sciatica-stage { position: relative; grid-template-columns: minmax(0, 1fr);
  grid-template-areas: "fit"; }
body.sciatica-projector .sciatica-side > :not(.sciatica-actions),
body.sciatica-projector .sciatica-actions > :not(.sciatica-fullscreen),
body.sciatica-projector .sciatica-stage > .sciatica-description { display: none !important; }
body.sciatica-projector .sciatica-side { position: absolute !important; top: 0; left: 0; z-index: 5;
  width: auto !important; }
body.sciatica-projector .sciatica-actions { margin: 0; }
body.sciatica-projector #rendered_cells > div { padding: 0.2em 0.4em !important; }
body.sciatica-projector .sciatica-fit { height: calc(100vh - var(--sciatica-dock-bottom, 0px) - 0.8em); }
"""


def red_flag_strip_html(locale: str | None = None) -> str:
    """A short red-flag line for the foot of the screen: the emergency signs and what to do, for one locale."""
    listed, todo = redflags.strip_text(locale)
    return (
        '<div class="sciatica-redflag-strip" role="note" aria-label="When to get help urgently">'
        f"<strong>⚠ Get help now</strong> if you have {escape(listed)}. "
        f"<strong>{escape(todo)}</strong> "
        f'<span class="sciatica-locale">({escape(locale_badge_text(locale))})</span></div>'
    )


def locale_badge_text(locale: str | None = None) -> str:
    """Which country's numbers the view gives, e.g. "advice for the UK"."""
    return f"advice for {locales.get(locale).short_name}"


def pressing_html(compression: Compression) -> str:
    """What is pressing, in plain words: the cause, the disc, where it points, and the roots it presses on."""
    c = compression
    zone = anatomy.zone(c.zone)
    lines = [
        f"<p>{escape(pressing_sentence(c))}</p>",
        # what "L4-L5" and "L5" mean, as the handout says it: in the same paragraph, so the one-screen layout keeps
        # the diagram's words at their size on a 1366 x 768 laptop
        f"<p>{escape(zone.description)} {escape(level_words(c))}</p>",
    ]
    if c.cauda_equina:
        lines.append(
            "<p><strong>A big bulge in the middle can press on the nerves for the bladder, bowel and "
            "the skin between the legs. That needs help at once.</strong></p>"
        )
    return f'<div class="sciatica-pressing">{"".join(lines)}</div>'


def figure_warning_html(compression: Compression, kinds=None) -> str:
    """The diagram's warning, when the picture has red flags (the words' own warning lines; the display filter ``kinds``
    never changes them), for the foot of the
    session's diagram; "" when it has none."""
    lines = warning_sentences(compression)  # the words' own warning lines (a "soon" one keeps its escalation)
    if not lines:
        return ""
    body = "<br>".join(f"<strong>\u26a0 {escape(line)}</strong>" for line in lines)
    return f'<div class="sciatica-figure-warning-text">{body}</div>'


def felt_html(pairs) -> str:
    """The areas the patient said they feel, in words (the handout prints the same list)."""
    if not pairs:
        return "<p><em>No areas marked yet.</em></p>"
    items = "".join(f"<li>{escape(anatomy.region(r).label)}, {escape(s)} side</li>" for r, s in pairs)
    return f"<p><strong>Where you feel it:</strong></p><ul>{items}</ul>"
