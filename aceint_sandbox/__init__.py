"""The local Aceint sandbox: a FastAPI stand-in for the Aceint API with real token expiry,
a candidate page at the iframe URL, records with transcripts and recordings, and faults
on demand. Start it with `python -m aceint_sandbox` or in-process with `running_sandbox()`."""

from .server import SandboxServer, running_sandbox

__all__ = ["SandboxServer", "running_sandbox"]
