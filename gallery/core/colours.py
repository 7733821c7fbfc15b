"""The one readability rule for a studio's accent colour, asked by the client page, the mail and the studio.

The accent is used for links and for buttons with white text, on white and on the client page's soft grey
panels (footer, sheets), so it must reach the WCAG 2 AA contrast of 4.5:1 against the darker of them (the
grey; white text on it then reads too, white being lighter). A lighter colour is darkened in its own hue
until it does. The studio shows the photographer the result through `GET /api/v1/brand/accent`, so no front
end keeps a copy of this rule.
"""
from __future__ import annotations

import colorsys
import re

DEFAULT_ACCENT = "#8a3b12"
PAGE_BACKGROUND = "#f3f2f0"  # --soft in the client page's gallery.css: the darkest background the accent sits on
ACCENT_INK = "#ffffff"  # the text on accent buttons
MIN_CONTRAST = 4.5  # WCAG 2 AA, normal text
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_SHORT_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def is_hex_colour(value) -> bool:
    """#rrggbb, the one form a stored accent takes."""
    return isinstance(value, str) and _HEX.match(value) is not None


def normalise_hex(value) -> str | None:
    """#rrggbb (lower case) from #rrggbb, rrggbb, #rgb or rgb; None for anything else."""
    match = _SHORT_HEX.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.lower()


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_accent(colour: str | None, background: str = PAGE_BACKGROUND, default: str = DEFAULT_ACCENT) -> str:
    """The accent, darkened in its own hue until it reads on the background (4.5:1); `default` when the
    value is not a colour."""
    colour = normalise_hex(colour)
    if colour is None:
        return default
    if contrast(colour, background) >= MIN_CONTRAST:
        return colour
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    while lightness > 0:
        lightness = max(0.0, lightness - 0.01)
        candidate = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, lightness, saturation))
        if contrast(candidate, background) >= MIN_CONTRAST:
            return candidate
    return "#000000"


def accent_report(colour: str | None) -> dict:
    """What the photographer's chosen accent becomes: the colour clients see, whether it was darkened, and
    the contrast of each against the page (the studio's readability warning)."""
    chosen = normalise_hex(colour)
    shown = readable_accent(chosen)
    return {
        "chosen": chosen,
        "accent": shown,
        "accent_ink": ACCENT_INK,
        "adjusted": chosen is not None and shown != chosen,
        "contrast": round(contrast(chosen, PAGE_BACKGROUND), 2) if chosen else None,
        "accent_contrast": round(contrast(shown, PAGE_BACKGROUND), 2),
        "minimum": MIN_CONTRAST,
        "background": PAGE_BACKGROUND,
    }
