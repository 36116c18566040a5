"""Draw a Timeline as stacked bars per month (matplotlib, Agg; no pyplot state).

A ``Figure`` with its own Agg canvas is used instead of ``pyplot``, so drawing
is safe in a server thread and never needs a display.
"""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..errors import ConfigError
from .timeline import Timeline

__all__ = ["FORMATS", "plot_bytes", "save_plot"]

FORMATS = ("png", "svg")
_MAX_SERIES = 9  # the rest are drawn together as "other"
# colour-blind-safe palette (Okabe-Ito) then greys
_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
            "#000000", "#999999", "#BBBBBB"]


def _label(name: str) -> str:
    return name.replace("_", " ").lower() if name.isupper() else name.replace("_", " ")


def plot_bytes(timeline: Timeline, fmt: str = "png", title: str | None = None) -> bytes:
    """The plot as PNG or SVG bytes."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ConfigError(f"plot format must be one of {', '.join(FORMATS)}")
    months = timeline.months
    width = min(14.0, max(6.0, 0.28 * len(months) + 3.0))
    fig = Figure(figsize=(width, 3.8), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    series = list(timeline.series.items())
    if len(series) > _MAX_SERIES:
        rest = series[_MAX_SERIES - 1:]
        other = [sum(col) for col in zip(*(c for _, c in rest), strict=True)]
        series = [*series[:_MAX_SERIES - 1], ("other", other)]
    x = list(range(len(months)))
    bottom = [0] * len(months)
    for i, (name, counts) in enumerate(series):
        ax.bar(x, counts, bottom=bottom, width=0.8, label=_label(name),
               color=_COLOURS[i % len(_COLOURS)], edgecolor="white", linewidth=0.4)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    step = max(1, len(months) // 18)
    ax.set_xticks(x[::step], [months[i] for i in x[::step]], rotation=45, ha="right",
                  fontsize=8)
    ax.set_ylabel("events per month")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if not months:
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center",
                transform=ax.transAxes, color="#666666")
    if series:
        ax.legend(title="by " + timeline.by, fontsize=8, title_fontsize=8, frameon=False,
                  loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(title or f"Events per month by {timeline.by}", fontsize=10, loc="left")
    fig.tight_layout()
    buf = io.BytesIO()
    meta = {"Date": None} if fmt == "svg" else {}
    fig.savefig(buf, format=fmt, metadata=meta)
    return buf.getvalue()


def save_plot(timeline: Timeline, path: str | Path, title: str | None = None) -> Path:
    """Write the plot to ``path``; its suffix (.png or .svg) picks the format."""
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ConfigError(f"--plot: {target.name!r} must end in .png or .svg")
    data = plot_bytes(timeline, fmt, title)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ConfigError(f"--plot: cannot write {target}: {exc.strerror or exc}") from exc
    return target
