"""The exported course pages' stylesheet (``export.html.j2`` inlines it; no file is loaded from elsewhere).

Issue 14 (PEMAT-P reviews): prose reads in a centred column of about 60-75 characters a line (``MEASURE``), while
figures keep their own width; citation notes (``citemarks``) are raised, bracketed and never wrap inside; the warning
boxes keep their frames and hug the reading column.
"""

from __future__ import annotations

from sciatica_edu.facts import redflags

__all__ = ["MEASURE", "PATIENT_CSS", "SITE_CSS", "warning_css"]

#: The reading column's measure: a line of prose holds about 60-75 characters (issue 14: at 1366 px it ran ~180).
#: In ``ch`` of the text's own font, so it holds at any font size; figures keep their own width (up to ``main``'s).
MEASURE = "54ch"

SITE_CSS = """
body { font-size: 17px; }
body { --jp-content-font-size1: 17px; }  /* the prose (the theme sets 14 px on :root, later in the page) */
.sciatica-edu-nav { font: 16px/1.4 system-ui, sans-serif; padding: .6em 1.2em; border-bottom: 1px solid #ccc;
  background: #f6f8fa; }
.sciatica-edu-nav a { margin-right: 1.2em; }
.sciatica-edu-controls-note { color: #444; }
sup a { text-decoration: none; padding: 0 .1em; }
sup.cite { white-space: nowrap; }
sup.cite a { padding: 0; }
main { max-width: 1100px; margin: 0 auto; box-sizing: border-box; }
.jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li, .jp-RenderedHTMLCommon dd,
.jp-RenderedHTMLCommon blockquote { max-width: %(measure)s; overflow-wrap: anywhere; }
"""
SITE_CSS = SITE_CSS.replace("%(measure)s", MEASURE)

#: A patient page has no code prompts: its column is the widest figure's (940 px) and a little, so the page's
#: reading column sits nearer the middle of a laptop's screen.
PATIENT_CSS = "main { max-width: 960px; }\n"


def warning_css() -> str:
    """The warning boxes (notebook_tools.red_flag_cell), "now" and "today": their frames (inline too, for Lab), each
    quote without the grey bar, its first line read as the box's heading (specific enough to beat nbconvert's
    blockquote rule)."""
    rules = []
    for cls, frame in ((redflags.NOW_CLASS, redflags.NOW_FRAME), (redflags.TODAY_CLASS, redflags.TODAY_FRAME)):
        rules += [f".{cls} {{ {frame.css()} }}",
                  f"div.{cls} {{ max-width: calc({MEASURE} + 3em); }}",  # the box around the reading column
                  f"div.{cls} > blockquote {{ border-left: none; margin: 0; padding: 0; background: none; "
                  "color: inherit; }",
                  f"div.{cls} > blockquote > p:first-child {{ font-size: 1.25em; color: {frame.heading}; }}"]
    return "\n".join(rules) + "\n"


SITE_CSS += warning_css()
