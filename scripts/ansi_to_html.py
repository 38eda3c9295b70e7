#!/usr/bin/env python3
"""Turn a terminal capture into a standalone HTML page that looks like the terminal.

The README screenshots come from a real terminal: `tmux capture-pane -e -p`
prints the screen as text with SGR escape sequences, and this script lays that
text out on a fixed cell grid (every cell the same size, wide characters two
cells) so headless Chromium can render it to a PNG that matches the terminal
cell for cell.

Handled: SGR reset, bold, dim, italic, underline (single, double, curly,
dotted, dashed, with its own colour), blink (ignored), reverse, hidden,
strike-through, overline; 16-, 256- and truecolour foreground and background,
in both `;` and `:` forms. Other escape sequences (cursor moves, OSC) are
dropped. Box-drawing and block-element characters are drawn as shapes that
fill their cell, as a terminal draws them, so borders and bars join without
gaps.

Usage:
    ansi_to_html.py CAPTURE OUT.html --cols 100 --rows 30 [--title T]

Prints the page size in CSS pixels ("WIDTH HEIGHT") so the caller can size
the browser window to the content.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

# A dark theme: default colours and the 16 ANSI colours (normal, then bright).
DEFAULT_FG = (0xC9, 0xCE, 0xD6)
DEFAULT_BG = (0x1B, 0x1E, 0x24)
ANSI_16 = [
    (0x22, 0x25, 0x2C),  # 0 black
    (0xE0, 0x6C, 0x75),  # 1 red
    (0x98, 0xC3, 0x79),  # 2 green
    (0xE5, 0xC0, 0x7B),  # 3 yellow
    (0x61, 0xAF, 0xEF),  # 4 blue
    (0xC6, 0x78, 0xDD),  # 5 magenta
    (0x56, 0xB6, 0xC2),  # 6 cyan
    (0xC9, 0xCE, 0xD6),  # 7 white
    (0x5C, 0x63, 0x70),  # 8 bright black
    (0xF0, 0x8A, 0x92),  # 9 bright red
    (0xB5, 0xDC, 0x98),  # 10 bright green
    (0xF2, 0xD4, 0x9B),  # 11 bright yellow
    (0x8A, 0xC6, 0xF7),  # 12 bright blue
    (0xD9, 0x9E, 0xEA),  # 13 bright magenta
    (0x7F, 0xD0, 0xDA),  # 14 bright cyan
    (0xF5, 0xF7, 0xFA),  # 15 bright white
]

FONT_STACK = (
    "'DejaVu Sans Mono', 'WenQuanYi Zen Hei Mono', 'Noto Sans Mono CJK SC', "
    "'Noto Color Emoji', monospace"
)

Rgb = tuple[int, int, int]
# A colour as SGR leaves it: None (the default), an index into the 256-colour
# palette, or an explicit RGB triple.
Colour = None | int | Rgb


@dataclass(frozen=True)
class Style:
    """The SGR state that applies to a cell."""

    fg: Colour = None
    bg: Colour = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: int = 0  # 0 none, 1 single, 2 double, 3 curly, 4 dotted, 5 dashed
    underline_colour: Colour = None
    reverse: bool = False
    hidden: bool = False
    strike: bool = False
    overline: bool = False


@dataclass
class Cell:
    """One character on screen: its text (with any combining marks), style and width."""

    text: str
    style: Style
    width: int = 1


def palette_256(index: int) -> Rgb:
    """The xterm 256-colour palette: 16 themed colours, a 6×6×6 cube, 24 greys."""
    if index < 16:
        return ANSI_16[index]
    if index < 232:
        levels = (0, 95, 135, 175, 215, 255)
        index -= 16
        return (levels[index // 36], levels[(index // 6) % 6], levels[index % 6])
    grey = 8 + 10 * (index - 232)
    return (grey, grey, grey)


def resolve(colour: Colour, default: Rgb) -> Rgb:
    if colour is None:
        return default
    if isinstance(colour, int):
        return palette_256(colour)
    return colour


def parse_sgr_params(raw: str) -> list[list[int | None]]:
    """Split SGR parameters into groups (`;`) of sub-parameters (`:`).

    >>> parse_sgr_params("1;38:2::10:20:30;4")
    [[1], [38, 2, None, 10, 20, 30], [4]]
    >>> parse_sgr_params("")
    [[0]]
    """
    if raw == "":
        return [[0]]
    groups = []
    for group in raw.split(";"):
        groups.append([int(p) if p.isdigit() else None for p in group.split(":")])
    return groups


def take_extended_colour(groups: list[list[int | None]], at: int) -> tuple[Colour, int]:
    """Read the colour after a 38/48/58, in `;` or `:` form.

    Returns the colour (None when malformed) and how many groups were used.
    """
    head = groups[at]
    if len(head) > 1:
        # Colon form: 38:5:N, 38:2:R:G:B or 38:2:CS:R:G:B, all in one group.
        sub = head[1:]
        if sub and sub[0] == 5 and len(sub) >= 2 and sub[1] is not None:
            return min(sub[1], 255), 1
        if sub and sub[0] == 2:
            rgb = sub[-3:] if len(sub) >= 4 else []
            if len(rgb) == 3 and all(v is not None for v in rgb):
                return tuple(min(v, 255) for v in rgb), 1  # type: ignore[return-value]
        return None, 1
    # Semicolon form: 38;5;N or 38;2;R;G;B, spread over several groups.
    rest = [g[0] for g in groups[at + 1 : at + 5]]
    if rest[:1] == [5] and len(rest) >= 2 and rest[1] is not None:
        return min(rest[1], 255), 3
    if rest[:1] == [2] and len(rest) >= 4 and None not in rest[1:4]:
        return tuple(min(v, 255) for v in rest[1:4]), 5  # type: ignore[arg-type,return-value]
    return None, 1 + len(rest[:1])


def apply_sgr(style: Style, raw: str) -> Style:
    """The style after one SGR sequence (`raw` is what sits between `ESC [` and `m`).

    >>> s = apply_sgr(Style(), "1;38;5;208;48;2;1;2;3")
    >>> (s.bold, s.fg, s.bg)
    (True, 208, (1, 2, 3))
    >>> s = apply_sgr(s, "38:2::255:128:0;4:3;5:3;22")
    >>> (s.bold, s.fg, s.bg, s.underline, s.overline)
    (False, (255, 128, 0), (1, 2, 3), 3, True)
    >>> apply_sgr(s, "0") == apply_sgr(s, "") == Style()
    True
    >>> apply_sgr(Style(), "38;5").fg is None  # cut short: ignored, no crash
    True
    """
    groups = parse_sgr_params(raw)
    i = 0
    while i < len(groups):
        code = groups[i][0] if groups[i][0] is not None else 0
        used = 1
        if code == 0:
            style = Style()
        elif code == 1:
            style = replace(style, bold=True)
        elif code == 2:
            style = replace(style, dim=True)
        elif code == 3:
            style = replace(style, italic=True)
        elif code == 4:
            kind = groups[i][1] if len(groups[i]) > 1 else 1
            style = replace(style, underline=kind if kind is not None else 1)
        elif code == 5 and groups[i][1:] == [3]:
            # tmux writes overline (53) as "5:3" in its captures.
            style = replace(style, overline=True)
        elif code == 7:
            style = replace(style, reverse=True)
        elif code == 8:
            style = replace(style, hidden=True)
        elif code == 9:
            style = replace(style, strike=True)
        elif code == 21:
            style = replace(style, underline=2)
        elif code == 22:
            style = replace(style, bold=False, dim=False)
        elif code == 23:
            style = replace(style, italic=False)
        elif code == 24:
            style = replace(style, underline=0)
        elif code == 27:
            style = replace(style, reverse=False)
        elif code == 28:
            style = replace(style, hidden=False)
        elif code == 29:
            style = replace(style, strike=False)
        elif 30 <= code <= 37:
            style = replace(style, fg=code - 30)
        elif code == 38:
            colour, used = take_extended_colour(groups, i)
            style = replace(style, fg=colour)
        elif code == 39:
            style = replace(style, fg=None)
        elif 40 <= code <= 47:
            style = replace(style, bg=code - 40)
        elif code == 48:
            colour, used = take_extended_colour(groups, i)
            style = replace(style, bg=colour)
        elif code == 49:
            style = replace(style, bg=None)
        elif code == 53:
            style = replace(style, overline=True)
        elif code == 55:
            style = replace(style, overline=False)
        elif code == 58:
            colour, used = take_extended_colour(groups, i)
            style = replace(style, underline_colour=colour)
        elif code == 59:
            style = replace(style, underline_colour=None)
        elif 90 <= code <= 97:
            style = replace(style, fg=code - 90 + 8)
        elif 100 <= code <= 107:
            style = replace(style, bg=code - 100 + 8)
        # Anything else (blink, fonts, ...) has no visible effect in a still.
        i += max(used, 1)
    return style


def char_width(ch: str) -> int:
    """Cells a character takes, as a terminal counts them.

    >>> [char_width(c) for c in "a\u6210\u0301\u200d"]
    [1, 2, 0, 0]
    """
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if "\ufe00" <= ch <= "\ufe0f":  # variation selectors
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte escapes,
# single characters.
TOKEN = re.compile(
    r"\x1b\[(?P<csi>[0-?]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-_]?"
    r"|(?P<char>[\s\S])"
)


def parse_screen(text: str, cols: int, rows: int) -> list[list[Cell]]:
    r"""Lay the captured text out on a grid of `rows` × `cols` cells.

    The SGR state carries from one line to the next, as tmux writes it; wide
    characters take two cells, combining marks join the cell before them.

    >>> screen = parse_screen("\x1b[1mab\n\u6210e\u0301xyz\n", cols=4, rows=3)
    >>> [[c.width for c in row] for row in screen]
    [[1, 1, 1, 1], [2, 1, 1], [1, 1, 1, 1]]
    >>> [c.text for c in screen[1]] == ["\u6210", "e\u0301", "x"]
    True
    >>> screen[1][0].style.bold, screen[1][2].style.bold, screen[2][0].style.bold
    (True, True, False)
    >>> len(screen)
    3
    """
    screen: list[list[Cell]] = [[]]
    used = 0  # cells used in the current row
    style = Style()
    for match in TOKEN.finditer(text):
        if match.group("final") is not None:
            if match.group("final") == "m":
                style = apply_sgr(style, match.group("csi"))
            continue
        ch = match.group("char")
        if ch is None:
            continue
        if ch == "\n":
            screen.append([])
            used = 0
            continue
        if ch == "\t":
            ch = " "
        code = ord(ch)
        if code < 0x20 or 0x7F <= code < 0xA0:
            continue
        width = char_width(ch)
        row = screen[-1]
        if width == 0:
            if row:
                row[-1].text += ch
            continue
        if used + width > cols:
            continue
        row.append(Cell(ch, style, width))
        used += width
    # capture-pane ends with a newline; it does not start a further row.
    if screen and not screen[-1]:
        screen.pop()
    screen = screen[:rows]
    while len(screen) < rows:
        screen.append([])
    for row in screen:
        filled = sum(cell.width for cell in row)
        row.extend(Cell(" ", Style()) for _ in range(cols - filled))
    return screen


def css_rgb(rgb: Rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def blend(a: Rgb, b: Rgb, amount: float) -> Rgb:
    return tuple(round(x * (1 - amount) + y * amount) for x, y in zip(a, b))  # type: ignore[return-value]


UNDERLINE_CSS = {1: "solid", 2: "double", 3: "wavy", 4: "dotted", 5: "dashed"}


def style_css(style: Style) -> str:
    """CSS for a cell: colours resolved against the theme, then attributes.

    >>> style_css(Style(reverse=True))
    'color:#1b1e24;background:#c9ced6'
    >>> style_css(Style(fg=1, underline=3, strike=True))
    'color:#e06c75;background:#1b1e24;text-decoration-line:underline line-through;text-decoration-style:wavy'
    """
    fg = resolve(style.fg, DEFAULT_FG)
    bg = resolve(style.bg, DEFAULT_BG)
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:
        fg = blend(fg, bg, 0.4)
    if style.hidden:
        fg = bg
    rules = [f"color:{css_rgb(fg)}", f"background:{css_rgb(bg)}"]
    if style.bold:
        rules.append("font-weight:bold")
    if style.italic:
        rules.append("font-style:italic")
    lines = []
    if style.underline in UNDERLINE_CSS:
        lines.append("underline")
    if style.strike:
        lines.append("line-through")
    if style.overline:
        lines.append("overline")
    if lines:
        rules.append(f"text-decoration-line:{' '.join(lines)}")
        rules.append(
            f"text-decoration-style:{UNDERLINE_CSS.get(style.underline, 'solid')}"
        )
        if style.underline_colour is not None:
            colour = resolve(style.underline_colour, DEFAULT_FG)
            rules.append(f"text-decoration-color:{css_rgb(colour)}")
    return ";".join(rules)


# Box drawing: each character as the weight of its arm toward up, right, down,
# left (0 none, 1 light, 2 heavy, 3 double).
# fmt: off
BOX_ARMS: dict[str, tuple[int, int, int, int]] = {
    "─": (0, 1, 0, 1), "━": (0, 2, 0, 2), "│": (1, 0, 1, 0), "┃": (2, 0, 2, 0),
    "┌": (0, 1, 1, 0), "┐": (0, 0, 1, 1), "└": (1, 1, 0, 0), "┘": (1, 0, 0, 1),
    "┏": (0, 2, 2, 0), "┓": (0, 0, 2, 2), "┗": (2, 2, 0, 0), "┛": (2, 0, 0, 2),
    "├": (1, 1, 1, 0), "┤": (1, 0, 1, 1), "┬": (0, 1, 1, 1), "┴": (1, 1, 0, 1),
    "┼": (1, 1, 1, 1), "┣": (2, 2, 2, 0), "┫": (2, 0, 2, 2), "┳": (0, 2, 2, 2),
    "┻": (2, 2, 0, 2), "╋": (2, 2, 2, 2),
    "═": (0, 3, 0, 3), "║": (3, 0, 3, 0), "╔": (0, 3, 3, 0), "╗": (0, 0, 3, 3),
    "╚": (3, 3, 0, 0), "╝": (3, 0, 0, 3), "╠": (3, 3, 3, 0), "╣": (3, 0, 3, 3),
    "╦": (0, 3, 3, 3), "╩": (3, 3, 0, 3), "╬": (3, 3, 3, 3),
    "╴": (0, 0, 0, 1), "╵": (1, 0, 0, 0), "╶": (0, 1, 0, 0), "╷": (0, 0, 1, 0),
    "╸": (0, 0, 0, 2), "╹": (2, 0, 0, 0), "╺": (0, 2, 0, 0), "╻": (0, 0, 2, 0),
}
# fmt: on
ROUNDED = {"╭": (0, 1, 1, 0), "╮": (0, 0, 1, 1), "╯": (1, 0, 0, 1), "╰": (1, 1, 0, 0)}

# Block elements as filled rectangles in fractions of the cell (x, y, w, h),
# with an opacity for the shades.
BLOCKS: dict[str, list[tuple[float, float, float, float]]] = {
    "█": [(0, 0, 1, 1)],
    "▀": [(0, 0, 1, 0.5)],
    "▐": [(0.5, 0, 0.5, 1)],
    "▔": [(0, 0, 1, 1 / 8)],
    "▕": [(7 / 8, 0, 1 / 8, 1)],
    "▖": [(0, 0.5, 0.5, 0.5)],
    "▗": [(0.5, 0.5, 0.5, 0.5)],
    "▘": [(0, 0, 0.5, 0.5)],
    "▝": [(0.5, 0, 0.5, 0.5)],
    "▙": [(0, 0, 0.5, 1), (0.5, 0.5, 0.5, 0.5)],
    "▚": [(0, 0, 0.5, 0.5), (0.5, 0.5, 0.5, 0.5)],
    "▛": [(0, 0, 1, 0.5), (0, 0.5, 0.5, 0.5)],
    "▜": [(0, 0, 1, 0.5), (0.5, 0.5, 0.5, 0.5)],
    "▞": [(0.5, 0, 0.5, 0.5), (0, 0.5, 0.5, 0.5)],
    "▟": [(0.5, 0, 0.5, 1), (0, 0.5, 0.5, 0.5)],
}
for eighths, lower in enumerate("▁▂▃▄▅▆▇", start=1):
    BLOCKS[lower] = [(0, 1 - eighths / 8, 1, eighths / 8)]
for eighths, left in zip(range(7, 0, -1), "▉▊▋▌▍▎▏"):
    BLOCKS[left] = [(0, 0, eighths / 8, 1)]
SHADES = {"░": 0.25, "▒": 0.5, "▓": 0.75}


def rounded_corner_svg(arms: tuple[int, int, int, int], w: int, h: int) -> str:
    """A light corner (╭╮╯╰) drawn as a quarter curve between two arms."""
    _, right, down, _ = arms
    light = max(1, round(w / 10))
    cx, cy = w // 2, h // 2
    # The middle of a one-stroke-wide line, so the curve lands on the same
    # pixels as the straight lines next to it.
    vx = cx - light // 2 + light / 2
    hy = cy - light // 2 + light / 2
    r = min(w, h) // 2
    edge_x = w if right else 0
    edge_y = h if down else 0
    path = (
        f"M{edge_x},{hy} L{vx + (r if right else -r)},{hy} "
        f"Q{vx},{hy} {vx},{hy + (r if down else -r)} L{vx},{edge_y}"
    )
    return (
        f'<path d="{path}" fill="none" stroke="currentColor" stroke-width="{light}"/>'
    )


def box_svg(arms: tuple[int, int, int, int], w: int, h: int) -> str:
    r"""Strokes from the cell centre to its edges, on whole pixels.

    >>> box_svg(BOX_ARMS["┼"], 10, 20).count("<rect")
    4
    >>> box_svg(BOX_ARMS["│"], 10, 20)
    '<rect x="5" y="0" width="1" height="11"/><rect x="5" y="10" width="1" height="10"/>'
    >>> box_svg(BOX_ARMS["╔"], 10, 20).count("<rect")
    4
    """
    light = max(1, round(w / 10))
    heavy = light * 2 + 1
    gap = light + 1  # distance of each line of a double stroke from the centre
    cx, cy = w // 2, h // 2
    up, right, down, left = arms
    arm = {"up": up, "right": right, "down": down, "left": left}
    # The two sides of each arm: for a horizontal arm, up and down; for a
    # vertical one, left and right.
    sides = {
        "up": ("left", "right"),
        "down": ("left", "right"),
        "left": ("up", "down"),
        "right": ("up", "down"),
    }
    parts = []
    for direction, weight in arm.items():
        if weight == 0:
            continue
        horizontal = direction in ("left", "right")
        toward_start = direction in ("up", "left")
        along, across = (cx, cy) if horizontal else (cy, cx)
        size = w if horizontal else h
        near_side, far_side = sides[direction]
        if weight == 3:
            # Each line of a double arm turns into the neighbouring arm on its
            # side, or runs on to the far line when that side is empty.
            lines = []
            for offset, side in ((-gap, near_side), (gap, far_side)):
                if toward_start:
                    stop = along - light // 2 + (-gap if arm[side] else gap) + light
                    lines.append((0, stop, across - light // 2 + offset, light))
                else:
                    begin = along - light // 2 + (gap if arm[side] else -gap)
                    lines.append((begin, size, across - light // 2 + offset, light))
        else:
            thick = heavy if weight == 2 else light
            # Reach across whatever the perpendicular arms cover, so they meet
            # without a notch.
            cover = [thick] + [
                heavy if arm[s] == 2 else light for s in (near_side, far_side) if arm[s]
            ]
            widest = max(cover)
            first, last = along - widest // 2, along - widest // 2 + widest
            lo, hi = (0, last) if toward_start else (first, size)
            lines = [(lo, hi, across - thick // 2, thick)]
        for lo, hi, at, thick in lines:
            if horizontal:
                parts.append(
                    f'<rect x="{lo}" y="{at}" width="{hi - lo}" height="{thick}"/>'
                )
            else:
                parts.append(
                    f'<rect x="{at}" y="{lo}" width="{thick}" height="{hi - lo}"/>'
                )
    return "".join(parts)


def shape_svg(ch: str, w: int, h: int) -> str | None:
    """An SVG drawing of a box-drawing or block character, or None for text."""
    if ch in BOX_ARMS:
        body = box_svg(BOX_ARMS[ch], w, h)
    elif ch in ROUNDED:
        body = rounded_corner_svg(ROUNDED[ch], w, h)
    elif ch in BLOCKS:
        body = "".join(
            f'<rect x="{round(x * w)}" y="{round(y * h)}" '
            f'width="{round((x + bw) * w) - round(x * w)}" '
            f'height="{round((y + bh) * h) - round(y * h)}"/>'
            for x, y, bw, bh in BLOCKS[ch]
        )
    elif ch in SHADES:
        body = f'<rect width="{w}" height="{h}" fill-opacity="{SHADES[ch]}"/>'
    else:
        return None
    return (
        f'<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'fill="currentColor">{body}</svg>'
    )


def render_html(
    screen: list[list[Cell]],
    cell_w: int,
    cell_h: int,
    font_size: float,
    padding: int,
    title: str,
) -> tuple[str, int, int]:
    classes: dict[str, str] = {}
    rows_html = []
    for row in screen:
        cells = []
        for cell in row:
            css = style_css(cell.style)
            name = classes.setdefault(css, f"s{len(classes)}")
            width = cell_w * cell.width
            shape = shape_svg(cell.text, width, cell_h) if len(cell.text) == 1 else None
            body = shape if shape is not None else html.escape(cell.text)
            wide = " w" if cell.width == 2 else ""
            cells.append(f'<span class="{name}{wide}">{body}</span>')
        rows_html.append(f'<div class="r">{"".join(cells)}</div>')
    page_w = cell_w * max(sum(c.width for c in screen[0]), 1) + 2 * padding
    page_h = cell_h * len(screen) + 2 * padding
    style_rules = "\n".join(f".{name}{{{css}}}" for css, name in classes.items())
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
html,body{{margin:0;padding:0;background:{css_rgb(DEFAULT_BG)};overflow:hidden}}
.t{{padding:{padding}px;width:max-content;font-family:{FONT_STACK};
font-size:{font_size}px;line-height:{cell_h}px;font-kerning:none;
font-variant-ligatures:none;-webkit-font-smoothing:antialiased}}
.r{{display:flex;height:{cell_h}px}}
.r>span{{flex:none;display:block;width:{cell_w}px;height:{cell_h}px;
white-space:pre;text-align:center;overflow:visible}}
.r>span.w{{width:{2 * cell_w}px}}
.r svg{{display:block}}
{style_rules}
</style></head>
<body><div class="t">
{chr(10).join(rows_html)}
</div></body></html>
"""
    return page, page_w, page_h


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", type=Path, help="output of tmux capture-pane -e -p")
    parser.add_argument("out", type=Path, help="HTML file to write")
    parser.add_argument("--cols", type=int, required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--cell-width", type=int, default=10)
    parser.add_argument("--cell-height", type=int, default=21)
    parser.add_argument("--font-size", type=float, default=16)
    parser.add_argument("--padding", type=int, default=14)
    parser.add_argument("--title", default="gloss")
    args = parser.parse_args(argv)

    text = args.capture.read_text(encoding="utf-8", errors="replace")
    screen = parse_screen(text, args.cols, args.rows)
    page, width, height = render_html(
        screen,
        args.cell_width,
        args.cell_height,
        args.font_size,
        args.padding,
        args.title,
    )
    args.out.write_text(page, encoding="utf-8")
    print(width, height)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
