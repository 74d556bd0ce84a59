"""User-supplied text on a page, shown as text and never as markdown.

Most Streamlit elements (subheader, caption, success, error, expander labels, ...) read their
string as markdown, so a job role like `![t](http://evil.example/p.png)` would load a remote
image and `**x**` would turn bold. Every value that comes from a recruiter, an uploaded file,
the database or Aceint goes through `plain` before it is put in such a string, so the page
shows exactly the characters that were typed.
"""

from __future__ import annotations

import re
from typing import Any

# CommonMark lets a backslash escape any ASCII punctuation. These are the ones that start
# markup: emphasis, code, links and images, HTML, headings, tables, strikethrough, `$` (LaTeX),
# `:` (emoji shortcodes, `:color[...]` directives, `http:` autolinks), `&` (entities), `.` and
# `@` (`www.` and e-mail autolinks); `.` and `)` also end an ordered-list number.
_MARKUP = re.compile(r"([\\`*_\[\]()<>#!|~$:&.@])")
_LEADING_MARKER = re.compile(r"^(\s*)([-+=])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# Streamlit's markdown (remark-gfm) turns bare `http://...`, `www....` and e-mail addresses into
# links after escapes are resolved, so a backslash cannot stop it; an invisible WORD JOINER
# inside `://`, after `www` and after `@` does, and the text still reads the same.
_AUTOLINK_SPOTS = re.compile(r"(?i)(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def plain(value: Any) -> str:
    """`value` as a string that markdown renders character for character, on one line.

    Line breaks become spaces (a newline could start a heading or a list in a one-line
    message); every character that could start markup is backslash-escaped, and bare URLs and
    e-mail addresses get an invisible word joiner so they are not made into links.
    """
    text = _AUTOLINK_SPOTS.sub(WORD_JOINER, _LINE_BREAKS.sub(" ", str(value)))
    text = _MARKUP.sub(r"\\\1", text)
    return _LEADING_MARKER.sub(r"\1\\\2", text, count=1)  # a bullet or underline at the start
