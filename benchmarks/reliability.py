"""The reliability diagram of a calibrated number (10 bins: mean prediction against the share observed),
as an SVG without external assets: docs/calibration.svg (judge_cv.py) and docs/attribution_calibration.svg
(attribution_calibration.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def svg_reliability(probs: np.ndarray, truth: np.ndarray, path: Path, title: str, x_label: str, y_label: str,
                    mean_name: str, share_name: str) -> None:
    """x_label, y_label: the axes; mean_name, share_name: the words of each bin's tooltip ("mean probability
    0.53, observed 0.58")."""
    bins = 10
    index = np.minimum((probs * bins).astype(int), bins - 1)
    w, h, pad = 360, 360, 48
    size = w - 2 * pad
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h + 20}" width="{w}" height="{h + 20}" font-family="sans-serif" font-size="11">',
             f'<title>{title}</title><rect width="100%" height="100%" fill="white"/>',
             f'<line x1="{pad}" y1="{pad + size}" x2="{pad + size}" y2="{pad}" stroke="#999" stroke-dasharray="4 3"/>',
             f'<rect x="{pad}" y="{pad}" width="{size}" height="{size}" fill="none" stroke="#333"/>']
    for k in range(bins):
        inside = index == k
        if not inside.any():
            continue
        x, y = probs[inside].mean(), truth[inside].mean()
        radius = 2 + 8 * np.sqrt(inside.sum() / len(probs))
        parts.append(f'<circle cx="{pad + x * size:.1f}" cy="{pad + (1 - y) * size:.1f}" r="{radius:.1f}" fill="#0072b2" fill-opacity="0.7">'
                     f'<title>{k / bins:.1f}-{(k + 1) / bins:.1f}: {mean_name} {x:.2f}, {share_name} {y:.2f}, n={inside.sum()}</title></circle>')
    for tick in (0, 0.5, 1):
        parts.append(f'<text x="{pad + tick * size}" y="{pad + size + 16}" text-anchor="middle">{tick}</text>')
        parts.append(f'<text x="{pad - 6}" y="{pad + (1 - tick) * size + 4}" text-anchor="end">{tick}</text>')
    parts.append(f'<text x="{pad + size / 2}" y="{pad + size + 34}" text-anchor="middle">{x_label}</text>')
    parts.append(f'<text transform="translate({14},{pad + size / 2}) rotate(-90)" text-anchor="middle">{y_label}</text>')
    parts.append(f'<text x="{w / 2}" y="{pad - 18}" text-anchor="middle" font-size="12">{title}</text></svg>')
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
