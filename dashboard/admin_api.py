"""Administration API (filled in below)."""
