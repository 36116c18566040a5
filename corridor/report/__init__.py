"""Timelines (events per month), their plots, and the self-contained HTML report.

``timeline.py`` aggregates events per month; ``plot.py`` draws a Timeline
(matplotlib, imported only there); ``html.py`` renders ``templates/report.html``.
"""

from __future__ import annotations

from .timeline import Timeline, build_timeline

__all__ = ["Timeline", "build_timeline"]
