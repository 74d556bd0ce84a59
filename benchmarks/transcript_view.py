"""How long a two-hour, 3,000-turn transcript takes to import and to prepare one view of.

Prints, from one run: parse time per input format (WebVTT, JSON, SRT, TXT, from bytes), the
cost of one viewer rerun (search + page of the current match + the iframe's HTML), and the
ratio against rendering all 3,000 turns at once, which is what paging saves.

    .venv/bin/python benchmarks/transcript_view.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aceint_core.transcripts import parse_transcript  # noqa: E402
from aceint_core.transcripts.export import EXPORT_FORMATS  # noqa: E402
from dashboard.transcript_view import prepare_view, render_document  # noqa: E402
from tests.transcripts.synthetic import long_interview  # noqa: E402

TURNS = 3000
REPEATS = 5
RERUN_BUDGET_MS = 100.0  # what one Streamlit rerun of the viewer may spend on transcript work


def best_ms(work: Callable[[], object]) -> tuple[float, float]:
    """(best, median) milliseconds over REPEATS calls."""
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    transcript = long_interview(TURNS)
    hours = transcript.turns[-1].end / 3600
    print(f"transcript: {TURNS} turns, {hours:.2f} h, {REPEATS} repeats (best / median)")
    print("import (parse_transcript from bytes):")
    for fmt in EXPORT_FORMATS.values():
        data = fmt.write(transcript).encode("utf-8")
        parsed = parse_transcript(data)
        assert len(parsed.turns) == TURNS
        best, median = best_ms(lambda data=data: parse_transcript(data))
        print(
            f"  {fmt.label:7s} {len(data) / 1024:7.0f} KiB  {best:7.1f} / {median:7.1f} ms"
            f"  ({best * 1000 / TURNS:5.1f} us per turn)"
        )

    def one_rerun(match_index: int = 1) -> str:
        view = prepare_view(transcript, query="needle", match_index=match_index)
        return render_document(view, audio_url="http://127.0.0.1:1/a.wav")

    def everything_at_once() -> str:
        view = prepare_view(transcript, query="needle", per_page=TURNS)
        return render_document(view, audio_url="http://127.0.0.1:1/a.wav")

    page_html = one_rerun()
    all_html = everything_at_once()
    rerun_best, rerun_median = best_ms(one_rerun)
    all_best, all_median = best_ms(everything_at_once)
    filtered_best, _ = best_ms(
        lambda: render_document(prepare_view(transcript, speakers=["Candidate"], page=20))
    )
    print("prepare the view (search 'needle' -> 31 matches, page of match 2, iframe HTML):")
    page_kib, all_kib = len(page_html) / 1024, len(all_html) / 1024
    print(f"  one page of 50 turns    {rerun_best:7.1f} / {rerun_median:7.1f} ms   HTML {page_kib:6.0f} KiB")
    print(f"  all {TURNS} turns at once {all_best:7.1f} / {all_median:7.1f} ms   HTML {all_kib:6.0f} KiB")
    print(f"  speaker filter, page 21 {filtered_best:7.1f} ms")
    print(
        f"ratio all-at-once / one page: time {all_best / rerun_best:5.1f}x, HTML {all_kib / page_kib:5.1f}x"
    )
    print(f"one rerun uses {rerun_best / RERUN_BUDGET_MS:.2f} of a {RERUN_BUDGET_MS:.0f} ms budget")

    # Scaling: doubling the input should about double the time (a quadratic parser gives ~4).
    def blank_runs(n: int) -> str:
        return "Alice: hi\n" + "\n" * n + " \n" * n + "Bob: ok\n"

    small, _ = best_ms(lambda: parse_transcript(blank_runs(50_000)))
    large, _ = best_ms(lambda: parse_transcript(blank_runs(100_000)))
    print(
        f"scaling: 2x the blank lines between turns takes {large / small:.2f}x the time "
        "(linear ~2, quadratic ~4)"
    )


if __name__ == "__main__":
    main()
