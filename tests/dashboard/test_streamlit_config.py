"""The committed .streamlit/config.toml: no phoning home, and no error detail sent to a browser."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config
from streamlit.elements.exception import _error_detail_visibility

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def _settings() -> dict:
    return tomllib.loads(CONFIG.read_text())


def test_usage_statistics_are_off() -> None:
    assert _settings()["browser"]["gatherUsageStats"] is False


def test_an_uncaught_exception_shows_no_message_trace_or_type() -> None:
    value = _settings()["client"]["showErrorDetails"]
    previous = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", value)
    try:
        shown = _error_detail_visibility(True)
    finally:
        config.set_option("client.showErrorDetails", previous)
    assert (shown.show_message, shown.show_trace, shown.show_type) == (False, False, False)


def test_the_upload_limit_admits_the_largest_transcript_the_importer_reads() -> None:
    from aceint_core.transcripts.model import MAX_TRANSCRIPT_BYTES

    megabytes = _settings()["server"]["maxUploadSize"]
    assert MAX_TRANSCRIPT_BYTES <= megabytes * 1024 * 1024 < 2 * MAX_TRANSCRIPT_BYTES
