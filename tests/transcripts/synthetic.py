"""Generated transcripts for the long-transcript browser test and the benchmark (deterministic)."""

from __future__ import annotations

import random

from aceint_core.transcripts import Transcript
from aceint_core.transcripts.model import make_turn

WORDS = (
    "design cache latency queue database index shard replica consistency python service deploy "
    "monitoring incident rollback testing review throughput partition kafka postgres redis api"
).split()


def long_interview(turns: int = 3000, *, seconds_per_turn: float = 2.4, seed: int = 7) -> Transcript:
    """A two-hour-ish interview: interviewer and candidate alternating, every 97th turn mentions 'needle'."""
    rng = random.Random(seed)
    out = []
    for index in range(turns):
        interviewer = index % 2 == 0
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
        if index % 97 == 5:
            words.insert(rng.randint(0, len(words)), "needle")
        start = index * seconds_per_turn
        out.append(
            make_turn(
                "Interviewer" if interviewer else "Candidate",
                "interviewer" if interviewer else "candidate",
                start,
                start + seconds_per_turn - 0.2,
                f"Turn {index + 1}: " + " ".join(words),
            )
        )
    return Transcript(turns=tuple(out), source_format="generated")


def needle_turns(transcript: Transcript) -> list[int]:
    return [i for i, t in enumerate(transcript.turns) if "needle" in t.text.lower()]
