"""The viewer's logic without Streamlit: times, colours, search, filter, pages and escaped HTML."""

from __future__ import annotations

import re

import pytest

from aceint_core.transcripts import Transcript
from aceint_core.transcripts.model import make_turn
from dashboard.transcript_view import (
    SPEAKER_PALETTE,
    TURNS_PER_PAGE,
    format_time,
    highlight,
    prepare_view,
    render_document,
    render_turns_html,
    safe_media_url,
    search_turns,
    speaker_colours,
)
from tests.transcripts.synthetic import long_interview, needle_turns


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (None, ""),
        (0, "0:00"),
        (5.9, "0:05"),
        (65, "1:05"),
        (599.999, "9:59"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3725.5, "1:02:05"),
        (36000, "10:00:00"),
    ],
)
def test_format_time(seconds: float | None, shown: str) -> None:
    assert format_time(seconds) == shown


def test_speaker_colours_are_distinct_and_stable() -> None:
    speakers = [f"Speaker {i}" for i in range(12)]
    colours = speaker_colours(speakers)
    assert [colours[s] for s in speakers[: len(SPEAKER_PALETTE)]] == list(SPEAKER_PALETTE)
    assert len(set(colours.values())) == len(speakers)
    assert speaker_colours(speakers) == colours  # same transcript, same colours
    assert re.fullmatch(r"#[0-9a-f]{6}", colours["Speaker 11"])


def test_search_is_case_insensitive_and_ordered() -> None:
    transcript = Transcript(
        turns=(
            make_turn("A", "interviewer", 0, 1, "Cache cache CACHE"),
            make_turn("B", "candidate", 1, 2, "no match here"),
            make_turn("A", "interviewer", 2, 3, "a cache."),
        )
    )
    matches = search_turns(transcript.turns, "cAcHe")
    assert [(m.turn_index, m.start, m.end) for m in matches] == [
        (0, 0, 5),
        (0, 6, 11),
        (0, 12, 17),
        (2, 2, 7),
    ]
    assert search_turns(transcript.turns, "   ") == []
    assert search_turns(transcript.turns, "a.c") == []  # the query is text, not a regex


def test_long_transcript_search_count_next_previous_and_page_jump() -> None:
    transcript = long_interview(3000)
    needles = needle_turns(transcript)
    view = prepare_view(transcript, query="NEEDLE")
    assert len(view.matches) == len(needles) == 31
    assert view.match_label == "1 of 31"
    assert len(view.page_turns) == TURNS_PER_PAGE and view.pages == 60
    assert needles[0] in view.page_turns
    second = prepare_view(transcript, query="needle", match_index=1)
    assert second.match_label == "2 of 31"
    assert second.page == needles[1] // TURNS_PER_PAGE and needles[1] in second.page_turns
    wrapped = prepare_view(transcript, query="needle", match_index=-1)  # "previous" from the first
    assert wrapped.match_label == "31 of 31" and needles[-1] in wrapped.page_turns
    assert wrapped.page == wrapped.pages - 1 or needles[-1] // TURNS_PER_PAGE == wrapped.page


def test_explicit_page_wins_and_is_clamped() -> None:
    transcript = long_interview(3000)
    assert prepare_view(transcript, page=7).page_turns[0] == 7 * TURNS_PER_PAGE
    assert prepare_view(transcript, page=999).page == 59
    assert prepare_view(transcript, page=-3).page == 0


def test_speaker_filter_limits_turns_and_matches() -> None:
    transcript = long_interview(3000)
    view = prepare_view(transcript, speakers=["Candidate"], query="needle")
    assert all(transcript.turns[i].speaker == "Candidate" for i in view.visible)
    assert len(view.visible) == 1500
    assert all(transcript.turns[m.turn_index].speaker == "Candidate" for m in view.matches)
    assert len(view.matches) == len([i for i in needle_turns(transcript) if i % 2 == 1])


def test_no_matches_label() -> None:
    view = prepare_view(long_interview(100), query="zzzz-not-there")
    assert (view.match_label, view.current_match) == ("No matches", None)
    assert prepare_view(long_interview(10)).match_label == ""


HOSTILE = Transcript(
    turns=(
        make_turn("Interviewer", "interviewer", 0, 1, "<script>window.__pwned=1</script>"),
        make_turn(
            'Eve"><img src=x onerror=alert(1)>', "candidate", 2, 3, '<img src=x onerror="window.__pwned=1">'
        ),
        make_turn("Interviewer", "interviewer", 4, 5, "**bold** [x](javascript:alert(1)) &amp;"),
    )
)


def test_html_escapes_text_and_speakers() -> None:
    page = render_turns_html(prepare_view(HOSTILE, query="script"))
    assert "<script" not in page and "<img" not in page
    assert "&lt;<mark" in page and "&lt;/<mark" in page  # both "script"s highlighted inside escaped text
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in page
    assert "Eve&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    plain = render_turns_html(prepare_view(HOSTILE))
    assert "**bold** [x](javascript:alert(1)) &amp;amp;" in plain  # markdown stays literal text


def test_highlight_marks_the_current_match() -> None:
    out = highlight("a<b>a", [(0, 1, False), (4, 5, True)])
    assert out == '<mark>a</mark>&lt;b&gt;<mark class="current" id="current-match">a</mark>'


def test_document_has_only_the_static_script_and_safe_media() -> None:
    doc = render_document(
        prepare_view(HOSTILE), audio_url="http://127.0.0.1:9/a.wav?sig=x&y=1", video_url="javascript:alert(1)"
    )
    assert doc.count("<script>") == 1
    assert (
        '<audio class="player" id="player-audio"' in doc
        and 'src="http://127.0.0.1:9/a.wav?sig=x&amp;y=1"' in doc
    )
    assert "<video" not in doc  # the javascript: link never reaches a src
    assert safe_media_url("data:audio/wav;base64,AAAA") is None
    assert 'data-t="2.000"' in doc and "0:02</button>" in doc


def test_turn_styles_tell_interviewer_and_candidate_apart() -> None:
    page = render_turns_html(prepare_view(HOSTILE))
    assert page.count('class="turn role-interviewer"') == 2 and page.count('class="turn role-candidate"') == 1
    assert f"color:{SPEAKER_PALETTE[0]}" in page and f"color:{SPEAKER_PALETTE[1]}" in page
