"""Reports (báo cáo): summaries, the quarterly evaluation, exports, and the live dashboard.

Every definition is written in docs/reports.md and followed exactly; the figures are read
from the per-ticket and per-stretch columns (tickets, visits, ratings), never replayed from
the event log.
"""
