"""The search page in a real browser: query, facets, counts, URL state, back button, no-JS."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.browser.helpers import facet_count, no_horizontal_overflow, result_total, screenshot


def _query(pg) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return parse_qs(urlparse(pg.url).query)


def test_typing_a_query_then_ticking_facets_narrows_results_and_counts(page, api) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    everything = result_total(page)
    page.get_by_label("Search the text of provisions").fill("financing")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/?q=financing*")
    financing = result_total(page)
    assert 0 < financing < everything
    assert page.locator(".hit mark").count() > 0, "query words are highlighted in snippets"
    assert financing == api.get("/api/search", params={"q": "financing"}).json()["total"]

    # Ticking a country (JavaScript submits the form) shows exactly the count it announced.
    gbr_count = facet_count(page, "country", "GBR")
    offence_before = facet_count(page, "offence", "financing")
    with page.expect_navigation():
        page.locator('fieldset[data-facet="country"] input[value="GBR"]').check()
    assert _query(page)["country"] == ["GBR"]
    assert result_total(page) == gbr_count
    assert page.get_by_role("checkbox", name="United Kingdom").is_checked()
    assert page.locator(".hit .cc").all_inner_texts() == ["GBR"] * page.locator(".hit").count()
    # Counts of the other facets now count within GBR only.
    assert facet_count(page, "offence", "financing") < offence_before
    assert page.get_by_role("link", name="Remove filter Country: United Kingdom").is_visible()

    # A second facet (offence type) narrows again, and its count was exact.
    financing_in_gbr = facet_count(page, "offence", "financing")
    with page.expect_navigation():
        page.locator('fieldset[data-facet="offence"] input[value="financing"]').check()
    assert result_total(page) == financing_in_gbr
    assert _query(page)["offence"] == ["financing"]
    screenshot(page, "search-facets")

    # The back button returns to the previous state, read from the URL.
    page.go_back()
    assert result_total(page) == gbr_count
    assert not page.locator('fieldset[data-facet="offence"] input[value="financing"]').is_checked()
    page.go_back()
    assert result_total(page) == financing

    # Removing a filter with its chip link.
    page.goto("/?q=financing&country=GBR")
    page.get_by_role("link", name="Remove filter Country: United Kingdom").click()
    assert result_total(page) == financing
    assert "country" not in _query(page)


def test_a_facet_can_be_ticked_with_the_keyboard_and_focus_comes_back(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/?q=terrorist")
    box = page.locator('fieldset[data-facet="language"] input[value="en"]')
    box.focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert _query(page)["language"] == ["en"]
    focused = page.evaluate("[document.activeElement.name, document.activeElement.value]")
    assert focused == ["language", "en"], "focus returns to the box after the reload"


def test_pagination_and_url_state(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/?q=terrorist&sort=-year")
    total = result_total(page)
    assert total > 40
    first_page = page.locator(".hit-title a").first.inner_text()
    page.get_by_role("link", name="Next →").click()
    assert _query(page)["page"] == ["2"]
    assert _query(page)["sort"] == ["-year"]
    assert page.locator(".pager [aria-current=page]").inner_text() == "2"
    assert page.locator(".hit-title a").first.inner_text() != first_page
    assert result_total(page) == total
    assert page.locator("#sort").input_value() == "-year"


def test_query_syntax_errors_are_explained(page) -> None:  # type: ignore[no-untyped-def]
    page.goto('/?q="unbalanced')
    alert = page.get_by_role("alert")
    assert "could not be read" in alert.inner_text()
    page.locator("details.syntax summary").click()
    assert page.locator("details.syntax table").is_visible()


def test_search_and_facets_work_without_javascript(nojs_page) -> None:  # type: ignore[no-untyped-def]
    pg = nojs_page
    pg.goto("/")
    pg.get_by_label("Search the text of provisions").fill("hostage")
    pg.get_by_label("Search the text of provisions").press("Enter")
    pg.wait_for_url("**/?q=hostage*")
    hostage = result_total(pg)
    assert hostage > 0
    canada = facet_count(pg, "country", "CAN")
    pg.locator('fieldset[data-facet="country"] input[value="CAN"]').check()
    assert "country" not in _query(pg), "without JavaScript nothing happens until Apply"
    pg.get_by_role("button", name="Apply filters").first.click()
    pg.wait_for_url("**country=CAN*")
    assert result_total(pg) == canada
    assert _query(pg)["country"] == ["CAN"]
    assert _query(pg)["q"] == ["hostage"]
    # The year range is a plain form too.
    pg.get_by_label("From").fill("2000")
    pg.get_by_role("button", name="Apply", exact=True).click()
    assert _query(pg)["year_from"] == ["2000"]
    assert result_total(pg) <= canada
    assert no_horizontal_overflow(pg)[0] <= 1366
    screenshot(pg, "search-nojs")
