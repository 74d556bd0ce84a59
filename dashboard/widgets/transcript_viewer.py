"""Transcript viewer widget: search with next/previous, speaker filter, pages, a player that seeks on click.

Layout only. What to show comes from dashboard.transcript_view (pure, tested without
Streamlit); the recording links are probed by dashboard.media so an expired link gives a note
naming its host instead of a dead player. The turns and the player(s) share ONE
st.iframe (the successor of the deprecated components.v1.html), because a click on a
time has to reach the <audio>/<video> element directly in the browser; the Streamlit controls
above it steer what that iframe shows.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from aceint_core.transcripts import Transcript
from aceint_core.transcripts.export import EXPORT_FORMATS
from dashboard.media import MediaCheck, check_media_link, download_link
from dashboard.transcript_view import TURNS_PER_PAGE, estimate_height, prepare_view, render_document
from dashboard.widgets.text import plain

MEDIA_CHECK_CACHE_S = 120


@st.cache_data(ttl=MEDIA_CHECK_CACHE_S, show_spinner=False)
def _checked(url: str, label: str) -> MediaCheck:
    return check_media_link(url, label=label)


def _keys(key: str) -> dict[str, str]:
    return {name: f"{key}-{name}" for name in ("query", "match", "page", "speakers", "jump")}


def _restart_search(keys: dict[str, str]) -> None:
    st.session_state[keys["match"]] = 0
    st.session_state[keys["jump"]] = True


def _step_match(keys: dict[str, str], step: int) -> None:
    st.session_state[keys["match"]] = st.session_state.get(keys["match"], 0) + step
    st.session_state[keys["jump"]] = True


def _page_moved(keys: dict[str, str]) -> None:
    st.session_state[keys["jump"]] = False


def render_media_notes(checks: list[MediaCheck]) -> None:
    """One warning per recording link that cannot be played (expired, unreachable, not media)."""
    for check in checks:
        if not check.ok:
            st.warning(plain(check.note), icon=":material/link_off:")  # the host comes from the record


def render_transcript_viewer(
    transcript: Transcript,
    *,
    audio_url: str | None = None,
    video_url: str | None = None,
    key: str,
    file_stem: str = "transcript",
) -> None:
    """Draw the transcript beside its recording. ``key`` keeps several viewers on one page apart;
    ``file_stem`` names the downloads (one name per record, so a folder of them stays readable)."""
    keys = _keys(key)
    state = st.session_state
    state.setdefault(keys["match"], 0)
    state.setdefault(keys["jump"], True)

    checks = {
        label: _checked(url, label) for label, url in (("video", video_url), ("audio", audio_url)) if url
    }
    render_media_notes(list(checks.values()))
    playable = {
        label: url for label, url in (("video", video_url), ("audio", audio_url)) if url and checks[label].ok
    }

    search_col, count_col, prev_col, next_col = st.columns([5, 2, 1, 1], vertical_alignment="bottom")
    query = search_col.text_input(
        "Search the transcript",
        key=keys["query"],
        placeholder="word or phrase",
        on_change=_restart_search,
        args=(keys,),
    )
    speakers = st.multiselect(
        "Speakers",
        options=transcript.speakers,
        key=keys["speakers"],
        placeholder="All speakers",
        on_change=_restart_search,
        args=(keys,),
    )
    jump = bool(state.get(keys["jump"]))
    requested_page = None if jump else int(state.get(keys["page"], 1)) - 1
    view = prepare_view(
        transcript,
        query=query,
        speakers=speakers,
        match_index=int(state[keys["match"]]),
        page=requested_page,
        per_page=TURNS_PER_PAGE,
    )
    if view.current is not None:
        state[keys["match"]] = view.current  # keep the index small after wrapping around
    has_matches = bool(view.matches)
    count_col.markdown(f"**{view.match_label}**" if view.match_label else "&nbsp;")
    prev_col.button(
        "Previous",
        key=f"{key}-prev",
        disabled=not has_matches,
        on_click=_step_match,
        args=(keys, -1),
        width="stretch",
    )
    next_col.button(
        "Next",
        key=f"{key}-next",
        disabled=not has_matches,
        on_click=_step_match,
        args=(keys, 1),
        width="stretch",
    )

    if view.pages > 1:
        state[keys["page"]] = view.page + 1
        page_col, info_col = st.columns([2, 5], vertical_alignment="bottom")
        page_col.number_input(
            "Page",
            min_value=1,
            max_value=view.pages,
            step=1,
            key=keys["page"],
            on_change=_page_moved,
            args=(keys,),
        )
        first = view.page * TURNS_PER_PAGE + 1
        info_col.caption(
            f"Turns {first}–{first + len(view.page_turns) - 1} of {len(view.visible)} "
            f"(page {view.page + 1} of {view.pages})"
        )
    else:
        state.pop(keys["page"], None)
        st.caption(f"{len(view.visible)} turns")
    state[keys["jump"]] = False

    # An iframe cannot grow with its content, so size it to this page of turns (capped): a
    # short transcript leaves no empty band, a long one scrolls inside the frame.
    height = estimate_height(view, video="video" in playable, audio="audio" in playable)
    st.iframe(
        render_document(view, audio_url=playable.get("audio"), video_url=playable.get("video")),
        height=height,
    )

    render_downloads(transcript, key=key, recordings=playable, file_stem=file_stem)


def render_downloads(
    transcript: Transcript, *, key: str, recordings: dict[str, str], file_stem: str = "transcript"
) -> None:
    """A download button per export format (built only when clicked) and a link per playable recording."""
    st.caption("Download transcript" + (" or recording" if recordings else ""))
    columns = st.columns(len(EXPORT_FORMATS) + len(recordings))
    for column, (name, fmt) in zip(columns, EXPORT_FORMATS.items(), strict=False):
        column.download_button(
            fmt.label,
            help=f"The transcript as {fmt.label} ({file_stem}.{fmt.extension})",
            data=partial(fmt.write, transcript),
            file_name=f"{file_stem}.{fmt.extension}",
            mime=fmt.mime,
            key=f"{key}-download-{name}",
            on_click="ignore",
        )
    for column, (label, url) in zip(columns[len(EXPORT_FORMATS) :], recordings.items(), strict=True):
        link = download_link(url)
        hint = f"Save the {label} recording" if link != url else f"Open the {label} recording to save it"
        column.link_button(label.capitalize(), link, help=hint)
