"""Every page at 1366x768: loads, nothing overflows horizontally, every form control has a
label, the keyboard reaches everything; a screenshot of each under screenshots/."""

from __future__ import annotations

import pytest

from tests.browser.helpers import no_horizontal_overflow, screenshot

UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
    .map(e => e.outerHTML)"""


def _pages(api) -> dict[str, str]:  # type: ignore[no-untyped-def]
    gbr = api.get("/api/countries/GBR").json()
    fra = api.get("/api/countries/FRA").json()
    big = max(fra["document_list"], key=lambda d: d["provisions"])
    hit = api.get("/api/search", params={"country": "GBR", "offence": "financing"}).json()
    return {
        "search": "/",
        "search-query": "/?q=%22terrorist+organisation%22&offence=membership",
        "provision-page": f"/p/{hit['hits'][0]['id']}",
        "compare-page": "/compare?countries=GBR,FRA,DEU,ESP,NLD&offence=financing",
        "compare-empty": "/compare",
        "coverage-offence": "/coverage?by=offence",
        "countries": "/countries",
        "country": "/countries/GBR",
        "document": f"/d/{gbr['document_list'][0]['id']}",
        "document-large": f"/d/{big['id']}",
        "basket-empty": "/basket",
    }


@pytest.fixture
def pages(api) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return _pages(api)


def test_every_page_fits_1366x768_and_labels_its_controls(page, pages) -> None:  # type: ignore[no-untyped-def]
    problems = []
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        width, inner = no_horizontal_overflow(page)
        if width > inner:
            problems.append(f"{url} is {width}px wide in a {inner}px window")
        unlabelled = page.evaluate(UNLABELLED)
        if unlabelled:
            problems.append(f"{url}: unlabelled controls {unlabelled}")
        if page.locator("h1").count() != 1:
            problems.append(f"{url}: {page.locator('h1').count()} h1 headings")
        screenshot(page, name)
    assert not problems, "\n".join(problems)


def test_keyboard_reaches_the_search_box_and_results(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/?q=hostage")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent")
    assert skip == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q", "the search box comes first"
    for _ in range(10):  # past the search controls to the link that skips the filters
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Skip to results":
            break
    else:
        pytest.fail("no 'Skip to results' link after the search box")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.hit') !== null")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused element is visibly marked"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/p/" in page.url


def test_pages_at_a_narrow_window_do_not_overflow(browser, base_url, pages) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 800, "height": 900}, base_url=base_url)
    narrow = context.new_page()
    try:
        for url in (pages["search-query"], pages["provision-page"], pages["compare-page"]):
            narrow.goto(url)
            width, inner = no_horizontal_overflow(narrow)
            assert width <= inner, f"{url} is {width}px wide in an {inner}px window"
    finally:
        context.close()
