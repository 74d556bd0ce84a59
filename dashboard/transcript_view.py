"""What the transcript viewer shows, computed without Streamlit: times, colours, search, filter, pages, HTML.

The widget (dashboard.widgets.transcript_viewer) only draws what prepare_view returns, so all
of this is unit-testable and a 3,000-turn transcript costs one page of HTML per rerun, not
3,000 widgets. Every piece of transcript text reaches the page through html.escape: turn
text is data, never markup.
"""

from __future__ import annotations

import colorsys
import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from aceint_core.transcripts import Transcript, Turn

TURNS_PER_PAGE = 50
VIEWER_MAX_TURNS_PX = 560
"""The turns area never grows past this; a longer page scrolls inside the viewer."""
VIEWER_MIN_TURNS_PX = 60
VIDEO_PX = 262
AUDIO_PX = 62
TURN_BASE_PX = 46
"""One turn with one line of text: speaker line, padding and margin (see VIEWER_CSS)."""
LINE_PX = 20
CHARS_PER_LINE = 90
"""A conservative line length for the bubble (82% of a ~1000 px frame at 14 px): over-
estimating a little leaves a small gap, under-estimating would hide the last turn's end."""

# Distinct, readable on white, and not red/green-only apart; speakers beyond these get a hashed hue.
SPEAKER_PALETTE = (
    "#1f5fbf",
    "#b8451f",
    "#2b8a3e",
    "#7b3fb3",
    "#a6761d",
    "#0b7285",
    "#c2255c",
    "#495057",
)
ROLE_LABELS = {"interviewer": "Interviewer", "candidate": "Candidate", "other": "Other", "unknown": ""}


def format_time(seconds: float | None) -> str:
    """'m:ss' under an hour, 'h:mm:ss' from an hour; '' when the turn has no time."""
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _hashed_colour(speaker: str) -> str:
    digest = hashlib.sha256(speaker.encode("utf-8")).digest()
    red, green, blue = colorsys.hls_to_rgb(digest[0] / 255, 0.38, 0.65)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


def speaker_colours(speakers: Iterable[str]) -> dict[str, str]:
    """A colour per speaker: palette colours in order of first appearance, so a transcript always
    looks the same and its first eight speakers never share a colour."""
    colours: dict[str, str] = {}
    for speaker in speakers:
        if speaker not in colours:
            index = len(colours)
            colours[speaker] = (
                SPEAKER_PALETTE[index] if index < len(SPEAKER_PALETTE) else _hashed_colour(speaker)
            )
    return colours


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of the search text: which turn and which characters of its text."""

    turn_index: int
    start: int
    end: int


def search_turns(turns: Sequence[Turn], query: str, within: Iterable[int] | None = None) -> list[Match]:
    """Case-insensitive matches of ``query`` in turn texts, in reading order (for next/previous)."""
    if not query.strip():
        return []
    pattern = re.compile(re.escape(query.strip()), re.IGNORECASE)
    indexes = range(len(turns)) if within is None else within
    return [Match(i, m.start(), m.end()) for i in indexes for m in pattern.finditer(turns[i].text)]


def filter_turns(turns: Sequence[Turn], speakers: Iterable[str] | None) -> list[int]:
    """Indexes of the turns by the chosen speakers (all turns when none are chosen)."""
    chosen = set(speakers or ())
    if not chosen:
        return list(range(len(turns)))
    return [i for i, turn in enumerate(turns) if turn.speaker in chosen]


def page_count(total: int, per_page: int = TURNS_PER_PAGE) -> int:
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class TranscriptView:
    """Everything one rerun of the viewer needs: the page of turns, the matches and where we are."""

    transcript: Transcript
    visible: tuple[int, ...]  # turn indexes after the speaker filter
    matches: tuple[Match, ...]
    current: int | None  # position in ``matches`` of the current match
    page: int  # 0-based
    pages: int
    page_turns: tuple[int, ...]  # turn indexes shown on this page
    colours: dict[str, str]
    query: str = ""

    @property
    def match_label(self) -> str:
        """'3 of 12', 'No matches' or '' when there is no search."""
        if not self.query.strip():
            return ""
        if self.current is None:
            return "No matches"
        return f"{self.current + 1} of {len(self.matches)}"

    @property
    def current_match(self) -> Match | None:
        return self.matches[self.current] if self.current is not None else None


def prepare_view(
    transcript: Transcript,
    *,
    query: str = "",
    speakers: Iterable[str] | None = None,
    match_index: int = 0,
    page: int | None = None,
    per_page: int = TURNS_PER_PAGE,
) -> TranscriptView:
    """Filter, search and page a transcript. With ``page=None`` the page holding the current match
    is shown (that is how next/previous jump across pages); ``match_index`` wraps around."""
    turns = transcript.turns
    visible = filter_turns(turns, speakers)
    matches = search_turns(turns, query, visible) if query.strip() else []
    current = match_index % len(matches) if matches else None
    pages = page_count(len(visible), per_page)
    if page is None:
        page = 0
        if current is not None:
            position = visible.index(matches[current].turn_index)  # visible is short enough per call
            page = position // per_page
    page = min(max(page, 0), pages - 1)
    shown = tuple(visible[page * per_page : (page + 1) * per_page])
    view = TranscriptView(
        transcript=transcript,
        visible=tuple(visible),
        matches=tuple(matches),
        current=current,
        page=page,
        pages=pages,
        page_turns=shown,
        colours=speaker_colours(transcript.speakers),
        query=query,
    )
    return view


def estimate_height(view: TranscriptView, *, video: bool = False, audio: bool = False) -> int:
    """Pixel height for the viewer's iframe, from the players and the turns on this page.

    An iframe does not size itself to its document, so a fixed height leaves a band of white
    under a short transcript; this estimate fits the content, capped for long pages.
    """
    turns_px = 12  # the turns list's own padding
    for index in view.page_turns:
        text = view.transcript.turns[index].text
        lines = sum(max(1, -(-len(part) // CHARS_PER_LINE)) for part in text.split("\n")) or 1
        turns_px += TURN_BASE_PX + (lines - 1) * LINE_PX
        if turns_px >= VIEWER_MAX_TURNS_PX:
            break
    turns_px = min(max(turns_px, VIEWER_MIN_TURNS_PX), VIEWER_MAX_TURNS_PX)
    players_px = (VIDEO_PX if video else 0) + (AUDIO_PX if audio else 0) + (12 if video or audio else 0)
    return players_px + turns_px


def page_of_match(view: TranscriptView, match_position: int, per_page: int = TURNS_PER_PAGE) -> int:
    """The 0-based page that shows the match at ``match_position``."""
    turn_index = view.matches[match_position % len(view.matches)].turn_index
    return view.visible.index(turn_index) // per_page


# --- HTML ----------------------------------------------------------------------------------


def highlight(text: str, spans: Sequence[tuple[int, int, bool]]) -> str:
    """Escaped text with <mark> around each (start, end, is_current) span; spans in order."""
    out: list[str] = []
    cursor = 0
    for start, end, is_current in spans:
        out.append(html.escape(text[cursor:start]))
        attrs = ' class="current" id="current-match"' if is_current else ""
        out.append(f"<mark{attrs}>{html.escape(text[start:end])}</mark>")
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


def safe_media_url(url: str | None) -> str | None:
    """Only http(s) links reach a src attribute (no javascript: or data: tricks)."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme in ("http", "https") else None


def render_turns_html(view: TranscriptView) -> str:
    """The current page of turns as escaped HTML; times are seek buttons carrying seconds."""
    spans_by_turn: dict[int, list[tuple[int, int, bool]]] = {}
    shown = set(view.page_turns)
    for position, match in enumerate(view.matches):
        if match.turn_index in shown:
            spans_by_turn.setdefault(match.turn_index, []).append(
                (match.start, match.end, position == view.current)
            )
    rows = []
    for index in view.page_turns:
        turn = view.transcript.turns[index]
        colour = view.colours.get(turn.speaker, "#495057")
        time_html = (
            f'<button type="button" class="seek" data-t="{turn.start:.3f}" '
            f'title="Play from {format_time(turn.start)}">{format_time(turn.start)}</button>'
            if turn.start is not None
            else '<span class="no-time"></span>'
        )
        role = ROLE_LABELS.get(turn.role, "")
        if role.lower() == turn.speaker.lower():
            role = ""  # "Interviewer" needs no "Interviewer" tag after it
        role_html = f'<span class="role">{html.escape(role)}</span>' if role else ""
        rows.append(
            f'<div class="turn role-{html.escape(turn.role)}" data-index="{index}">'
            f"{time_html}"
            f'<div class="bubble" style="border-color:{colour}">'
            f'<div class="who"><span class="speaker" style="color:{colour}">'
            f"{html.escape(turn.speaker)}</span>"
            f"{role_html}</div>"
            f'<div class="text">{highlight(turn.text, spans_by_turn.get(index, []))}</div>'
            "</div></div>"
        )
    if not rows:
        rows.append('<p class="empty">No turns by the chosen speakers.</p>')
    return "\n".join(rows)


VIEWER_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1c2230;font-size:14px}
.players{position:sticky;top:0;background:#fff;padding:4px 0 8px;z-index:1;border-bottom:1px solid #e3e6ee}
.players audio{width:100%}.players video{max-width:100%;max-height:240px;display:block}
.turns{padding:6px 2px}
.turn{display:flex;gap:8px;margin:6px 0;align-items:flex-start}
.turn.role-candidate{flex-direction:row-reverse}
.turn.role-candidate .bubble{background:#f1f6ff}
.turn.role-interviewer .bubble{background:#f7f7f9}
.bubble{border-left:4px solid;border-radius:6px;padding:4px 10px;max-width:82%;background:#fafafa}
.turn.role-candidate .bubble{border-left:0;border-right:4px solid}
.who{font-size:12px;font-weight:600}.role{font-weight:400;color:#6b7280;margin-left:6px}
.text{white-space:pre-wrap;word-break:break-word}
.seek{font:12px ui-monospace,monospace;border:1px solid #c5cad6;background:#fff;border-radius:4px;
  padding:2px 6px;cursor:pointer;min-width:58px}
.seek:hover{background:#eef2ff}.no-time{min-width:58px}
mark{background:#ffe066;padding:0 1px}mark.current{background:#ff922b;outline:2px solid #e8590c}
.empty{color:#6b7280}
"""

# Static code only: no transcript data is ever interpolated into the script.
SEEK_SCRIPT = """
(function(){
  var players = Array.prototype.slice.call(document.querySelectorAll('video.player, audio.player'));
  // The iframe is rebuilt when the page of turns changes; keep the playback position across that.
  function load(key){ try { return parseFloat(sessionStorage.getItem(key)); } catch(e) { return NaN; } }
  function save(key, value){ try { sessionStorage.setItem(key, String(value)); } catch(e) {} }
  players.forEach(function(p){
    var key = 'aceint-transcript-position:' + p.getAttribute('src');
    p.addEventListener('loadedmetadata', function(){
      var saved = load(key);
      if(isFinite(saved) && p.currentTime === 0){ p.currentTime = saved; }
    });
    p.addEventListener('timeupdate', function(){ save(key, p.currentTime); });
  });
  document.addEventListener('click', function(ev){
    var button = ev.target.closest('button.seek');
    if(!button){ return; }
    var t = parseFloat(button.getAttribute('data-t'));
    if(!isFinite(t)){ return; }
    players.forEach(function(p){ p.currentTime = t; });
    if(players.length){ var play = players[0].play(); if(play && play.catch){ play.catch(function(){}); } }
    document.body.setAttribute('data-last-seek', String(t));
  });
  var current = document.getElementById('current-match');
  if(current){ current.scrollIntoView({block: 'center'}); }
})();
"""


def render_document(
    view: TranscriptView, *, audio_url: str | None = None, video_url: str | None = None
) -> str:
    """A complete HTML document for one components.html iframe: player(s) on top, the page of turns below.

    Clicking a time sets currentTime on every player and plays the first (the video when both
    exist), each click afresh, so clicking the same time twice seeks twice.
    """
    players = []
    video, audio = safe_media_url(video_url), safe_media_url(audio_url)
    if video:
        players.append(
            f'<video class="player" id="player-video" controls preload="metadata" '
            f'src="{html.escape(video, quote=True)}"></video>'
        )
    if audio:
        players.append(
            f'<audio class="player" id="player-audio" controls preload="metadata" '
            f'src="{html.escape(audio, quote=True)}"></audio>'
        )
    players_html = f'<div class="players">{"".join(players)}</div>' if players else ""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<style>{VIEWER_CSS}</style></head><body>"
        f'{players_html}<div class="turns">{render_turns_html(view)}</div>'
        f"<script>{SEEK_SCRIPT}</script></body></html>"
    )
