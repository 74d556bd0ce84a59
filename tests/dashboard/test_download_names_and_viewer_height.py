"""Transcript downloads are named per record, and the viewer's frame fits a short transcript."""

from __future__ import annotations

from aceint_core.transcripts import Transcript
from aceint_core.transcripts.model import make_turn
from dashboard.download_names import attached_stem, record_stem, slug
from dashboard.transcript_view import VIEWER_MAX_TURNS_PX, estimate_height, prepare_view


def test_record_and_attached_stems():
    assert slug("José Núñez-O'Brien") == "jose-nunez-o-brien"
    assert record_stem("Sample Candidate", "3bcd6789-c679-4ff3-bdb1-e1730f3cb46b") == (
        "transcript-sample-candidate-3bcd6789"
    )
    assert record_stem("李雷", "ab") == "transcript-candidate-ab"  # nothing ASCII left: still a name
    assert attached_stem("C:\\exports\\Teams call (final).vtt", "sid") == "teams-call-final"
    assert attached_stem("../../***.json", "3bcd6789-x") == "attached-transcript-3bcd6789"


def _transcript(n: int, text: str = "A short answer.") -> Transcript:
    return Transcript(
        turns=tuple(
            make_turn("A" if i % 2 else "B", "candidate", float(i), float(i + 1), text) for i in range(n)
        )
    )


def test_the_viewer_height_follows_the_turns_and_is_capped():
    short = estimate_height(prepare_view(_transcript(2)))
    seven = estimate_height(prepare_view(_transcript(7)))
    assert short < seven < VIEWER_MAX_TURNS_PX  # no band of white under a short transcript
    long_turns = estimate_height(prepare_view(_transcript(7, "word " * 60)))
    assert long_turns > seven  # wrapped lines count
    assert estimate_height(prepare_view(_transcript(500))) == VIEWER_MAX_TURNS_PX
    with_players = estimate_height(prepare_view(_transcript(2)), video=True, audio=True)
    assert with_players > short + 250
