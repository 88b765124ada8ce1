"""The 14 technique colours stay apart: for every reader (CIEDE2000 in CIELAB), for readers with deuteranopia
or protanopia (the same distance after Machado, Oliveira and Fernandes' 2009 simulation at full severity),
from white (no colour looks like no highlight), and under black text; and each technique has a letter of
its own, so colour is never the only cue."""

from itertools import combinations

import numpy as np
import pytest

from spinlens.labels import BADGES, COLOURS, DISPLAY_NAMES, TECHNIQUES

# Linear-RGB matrices of Machado et al. (2009), severity 1.0.
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]])
PROTANOPIA = np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]])
_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]])


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def gamma(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(c: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    return gamma(matrix @ linear(c))


def lab(c: np.ndarray) -> np.ndarray:
    """sRGB (0-1) -> CIELAB, D65."""
    xyz = (_XYZ @ linear(c)) / (_XYZ @ np.ones(3))
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """Sharma, Wu and Dalal's formulation (2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c, d_h = l2 - l1, c2 - c1, 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(h_mean - 30)) + 0.24 * np.cos(np.radians(2 * h_mean))
         + 0.32 * np.cos(np.radians(3 * h_mean + 6)) - 0.20 * np.cos(np.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = -np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2)))) * 2 * np.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    return float(np.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)))


def contrast(colour: np.ndarray, text: np.ndarray) -> float:
    """WCAG 2 contrast ratio."""
    weights = np.array([0.2126, 0.7152, 0.0722])
    high, low = sorted((weights @ linear(colour), weights @ linear(text)), reverse=True)
    return float((high + 0.05) / (low + 0.05))


def test_the_formula_gives_the_published_distances():
    # Pairs 1, 7 and 17 of Sharma, Wu and Dalal's test data.
    assert ciede2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000(np.array([50, 0, 0]), np.array([50, -1, 2])) == pytest.approx(2.3669, abs=1e-4)
    assert ciede2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == pytest.approx(27.1492, abs=1e-4)
    # What the thresholds below refuse, from the palette they replaced: Appeal to fear (#fb8072) beside Name
    # calling (#ff9f9f), and Flag-waving's grey (#d9d9d9), which looked like no highlight.
    assert ciede2000(lab(rgb("#fb8072")), lab(rgb("#ff9f9f"))) < 10
    assert ciede2000(lab(rgb("#d9d9d9")), lab(np.ones(3))) < 10


def test_every_technique_has_a_colour_and_a_letter_of_its_own():
    assert set(COLOURS) == set(BADGES) == set(DISPLAY_NAMES) == set(TECHNIQUES)
    assert len(set(BADGES.values())) == len(TECHNIQUES)
    assert all(len(letter) == 1 and letter.isupper() for letter in BADGES.values())
    assert len({colour.lower() for colour in COLOURS.values()}) == len(TECHNIQUES)


@pytest.mark.parametrize("vision, matrix, threshold", [("normal", None, 15.0), ("deuteranopia", DEUTERANOPIA, 7.5), ("protanopia", PROTANOPIA, 7.5)])
def test_every_pair_of_technique_colours_differs_enough(vision, matrix, threshold):
    seen = {t: rgb(c) if matrix is None else simulate(rgb(c), matrix) for t, c in COLOURS.items()}
    close = [(a, b, round(d, 1)) for a, b in combinations(TECHNIQUES, 2) if (d := ciede2000(lab(seen[a]), lab(seen[b]))) < threshold]
    assert close == [], vision


def test_no_technique_colour_looks_like_no_highlight_or_hides_the_text():
    white, text = np.ones(3), rgb("#111111")
    for technique, colour in COLOURS.items():
        assert ciede2000(lab(rgb(colour)), lab(white)) >= 20, technique
        assert ciede2000(lab(simulate(rgb(colour), DEUTERANOPIA)), lab(white)) >= 15, technique
        assert contrast(rgb(colour), text) >= 7, technique  # WCAG AAA for the article's text on its fill
