"""Small charts drawn on the server as inline SVG: they need no script, take their size
from the markup (no layout shift) and carry their own text alternative."""

from __future__ import annotations

from markupsafe import Markup, escape


def sparkline(points: list[tuple[int, float]], label: str, width: int = 120,
              height: int = 28) -> Markup:
    """A line through ``(year, value)`` points, scaled to the box, with ``label`` as its
    accessible name.

    >>> str(sparkline([(2000, 1.0), (2001, 3.0)], "x", 10, 4))[:60]
    '<svg class="spark" width="10" height="4" viewBox="0 0 10 4" '
    >>> "polyline" in sparkline([], "none")
    False
    """
    head = (f'<svg class="spark" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
            f"<title>{escape(label)}</title>")
    if len(points) < 2:
        return Markup(head + "</svg>")
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1 = min(xs), max(xs)
    top = max(ys) or 1.0
    pad = 2

    def xy(x, y):
        px = pad + (width - 2 * pad) * (x - x0) / ((x1 - x0) or 1)
        py = height - pad - (height - 2 * pad) * (y / top)
        return f"{px:.1f},{py:.1f}"

    line = " ".join(xy(x, y) for x, y in points)
    last = xy(*points[-1]).split(",")
    return Markup(f'{head}<polyline points="{line}" fill="none" stroke="#2f7ed8" '
                  f'stroke-width="1.5"/><circle cx="{last[0]}" cy="{last[1]}" r="2" '
                  f'fill="#0b5cad"/></svg>')
