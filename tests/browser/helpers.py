"""What the browser tests read from pages, and where they save screenshots."""

from __future__ import annotations

import re
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def screenshot(pg, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save what a user sees at 1366x768 under screenshots/ at the repository root."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path))
    return path


def result_total(pg) -> int:  # type: ignore[no-untyped-def]
    """The number of results the search page announces ("1,234 provisions")."""
    text = pg.locator("#result-count strong").inner_text()
    return int(re.sub(r"\D", "", text))


def facet_count(pg, key: str, value: str) -> int:  # type: ignore[no-untyped-def]
    label = pg.locator(f'fieldset[data-facet="{key}"] label:has(input[value="{value}"])')
    return int(re.sub(r"\D", "", label.locator(".count").inner_text()))


def no_horizontal_overflow(pg) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
