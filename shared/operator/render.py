"""Plain text for people: aligned columns, short ages, one-line previews."""


def table(headers, rows, right=()):
    """Columns aligned on the widest cell; the columns named in `right` are right-aligned (numbers)."""
    cells = [list(map(str, headers))] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = [
            cell.rjust(width) if header in right else cell.ljust(width)
            for header, cell, width in zip(headers, row, widths, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def age(seconds):
    """45s, 3m05s, 2h07m, 3d04h."""
    if seconds is None:
        return "-"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    if seconds < 86400:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d{seconds % 86400 // 3600:02d}h"


def preview(text, width=160):
    """One line of at most `width` characters."""
    if text is None:
        return None
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"
