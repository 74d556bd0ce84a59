"""Demo interviews for a newcomer's first start (filled in below)."""
