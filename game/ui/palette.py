"""Map colours: colour-blind-safe faction palettes (Okabe-Ito, Tol) and the map's base colours.

Factions keep the scenario's `colour` in the normal palette (Okabe-Ito as the fallback);
the alternative high-contrast palette replaces them with Paul Tol's "bright" scheme.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RGB = tuple[int, int, int]

OKABE_ITO: dict[str, str] = {
    "government": "#D55E00", "hts": "#009E73", "southern": "#E69F00", "sna": "#56B4E9", "sdf": "#CC79A7",
}
OKABE_ITO_CYCLE = ("#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#0072B2", "#F0E442", "#000000")
TOL_BRIGHT: dict[str, str] = {
    "government": "#EE6677", "hts": "#228833", "southern": "#CCBB44", "sna": "#66CCEE", "sdf": "#AA3377",
}
TOL_CYCLE = ("#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#4477AA", "#BBBBBB", "#000000")

PALETTES = ("okabe-ito", "tol")


def hex_rgb(text: str) -> RGB:
    """'#D55E00' -> (213, 94, 0); a malformed colour gives mid grey rather than an exception."""
    t = text.strip().lstrip("#")
    if len(t) == 3:
        t = "".join(c * 2 for c in t)
    try:
        return (int(t[0:2], 16), int(t[2:4], 16), int(t[4:6], 16))
    except ValueError:
        return (136, 136, 136)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend: t=0 gives a, t=1 gives b."""
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def luminance(c: RGB) -> float:
    """Relative luminance (WCAG), 0 black .. 1 white."""
    def lin(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours, 1 (the same) .. 21 (black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def legible_on(c: RGB, bg: RGB, ratio: float = 3.0) -> RGB:
    """`c` as text on `bg`: itself where it contrasts enough, else darkened (lightened on a dark background) just
    as far as it takes (a pale yellow faction's name on paper becomes a dark ochre of the same hue)."""
    if contrast(c, bg) >= ratio:
        return c
    to: RGB = (0, 0, 0) if luminance(bg) > 0.25 else (255, 255, 255)
    for k in range(1, 21):
        out = mix(c, to, k / 20)
        if contrast(out, bg) >= ratio:
            return out
    return to


def ink_on(c: RGB) -> RGB:
    """Black or white, whichever reads better on background c."""
    return (20, 20, 20) if luminance(c) > 0.25 else (250, 250, 250)


@dataclass(frozen=True)
class MapColours:
    """The base colours of the map, shared by both palettes."""

    sea: RGB = (112, 150, 190)
    background: RGB = (200, 200, 196)
    land: RGB = (236, 232, 220)
    neighbour: RGB = (222, 218, 208)
    neighbour_edge: RGB = (150, 146, 138)
    neighbour_text: RGB = (130, 126, 118)
    home_edge: RGB = (40, 40, 40)
    front: RGB = (25, 20, 20)
    front_halo: RGB = (255, 255, 255)
    boundary: RGB = (90, 90, 90)
    highway: RGB = (55, 50, 45)
    highway_fill: RGB = (255, 226, 150)
    road: RGB = (70, 66, 60)
    track: RGB = (90, 86, 80)
    border: RGB = (90, 70, 110)
    closed: RGB = (150, 150, 150)
    text: RGB = (20, 20, 20)
    halo: RGB = (255, 255, 255)
    corridor_open: RGB = (0, 114, 178)
    corridor_closed: RGB = (120, 120, 120)
    star: RGB = (255, 200, 0)
    supplied: RGB = (0, 158, 115)
    limited: RGB = (240, 228, 66)
    cut: RGB = (213, 94, 0)
    not_held: RGB = (200, 198, 192)
    panel: RGB = (250, 248, 242)
    panel_edge: RGB = (60, 60, 60)
    highlight: dict[str, RGB] = field(default_factory=lambda: {
        "move": (255, 255, 255), "attack": (200, 0, 0), "strike": (230, 120, 0),
        "reinforce": (0, 140, 70), "target": (255, 215, 0), "select": (255, 215, 0),
    })


@dataclass(frozen=True)
class Palette:
    """Faction colours (strong, for counters and markers) and territory tints, by faction row."""

    name: str
    factions: tuple[RGB, ...]
    colours: MapColours = MapColours()
    tint: float = 0.55
    """How much of the faction colour goes into its territory fill (the rest is land colour)."""

    def faction(self, i: int) -> RGB:
        return self.factions[i] if 0 <= i < len(self.factions) else (136, 136, 136)

    def territory(self, i: int) -> RGB:
        return mix(self.colours.land, self.faction(i), self.tint)

    def hatch(self, i: int) -> RGB:
        """Darker stripes drawn over a contested or cut-off territory."""
        return mix(self.faction(i), (0, 0, 0), 0.35)


def make_palette(faction_ids: list[str], scenario_colours: list[str], name: str = "okabe-ito") -> Palette:
    """The normal palette uses each scenario colour (Okabe-Ito where missing or grey);
    "tol" is the alternative high-contrast, colour-blind-safe scheme."""
    out: list[RGB] = []
    for k, (fid, colour) in enumerate(zip(faction_ids, scenario_colours)):
        if name == "tol":
            out.append(hex_rgb(TOL_BRIGHT.get(fid, TOL_CYCLE[k % len(TOL_CYCLE)])))
        elif colour and colour.upper() not in ("#888888", ""):
            out.append(hex_rgb(colour))
        else:
            out.append(hex_rgb(OKABE_ITO.get(fid, OKABE_ITO_CYCLE[k % len(OKABE_ITO_CYCLE)])))
    if name == "tol":
        return Palette("tol", tuple(out), MapColours(front=(0, 0, 0), home_edge=(0, 0, 0)), tint=0.7)
    return Palette("okabe-ito", tuple(out))
