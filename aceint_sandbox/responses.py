"""The sandbox's JSON response: one that can always be sent.

Starlette's JSONResponse encodes to UTF-8 and fails on an unpaired surrogate, so one bad
string in stored data (say, from a store written before input was checked) would make
every read of it a 500, forever. This one falls back to replacing such text with U+FFFD.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.responses import JSONResponse as _StarletteJSONResponse

_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with each unpaired surrogate replaced by U+FFFD, so it can always be encoded."""
    return _SURROGATE.sub("\ufffd", text)


def scrubbed(value: Any) -> Any:
    """`value` with every string (and key) made encodable; other values unchanged."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [scrubbed(v) for v in value]
    if isinstance(value, dict):
        return {printable(k) if isinstance(k, str) else k: scrubbed(v) for k, v in value.items()}
    return value


class JSONResponse(_StarletteJSONResponse):
    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return super().render(scrubbed(content))
