"""Compare (one column per country) and the coverage heatmap (cells = the searches behind them)."""

from __future__ import annotations

from pathlib import Path

from tests.browser.helpers import no_horizontal_overflow, result_total, screenshot


def test_compare_shows_one_column_per_country(page, api) -> None:  # type: ignore[no-untyped-def]
    page.goto("/compare?countries=GBR,FRA,DEU&offence=financing")
    columns = page.locator("#compare-columns > section.column")
    assert columns.evaluate_all("els => els.map(e => e.dataset.country)") == ["GBR", "FRA", "DEU"]
    body = api.get(
        "/api/compare", params={"countries": "GBR,FRA,DEU", "offence": "financing"}
    ).json()
    for col in body["columns"]:
        section = page.locator(f'section.column[data-country="{col["country"]}"]')
        shown = section.locator(".col-list > li").count()
        assert shown == min(col["summary"]["provisions"], 25)
    # Side by side, tops aligned, each column its own header.
    boxes = [columns.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert len({round(b["y"]) for b in boxes}) == 1
    headers = [columns.nth(i).locator(".col-list").bounding_box()["y"] for i in range(3)]
    assert max(headers) - min(headers) < 2, "the provision lists start on the same line"
    # A provision opens in place with its text.
    first = columns.first.locator(".col-list details").first
    first.locator("summary").click()
    assert first.locator(".text").is_visible()
    assert no_horizontal_overflow(page)[0] <= 1366
    screenshot(page, "compare")


def test_compare_says_when_a_country_has_nothing(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/compare?countries=GBR,EGY&offence=maritime")
    egy = page.locator('section.column[data-country="EGY"]')
    assert "Nothing found" in egy.inner_text()
    assert egy.locator(".col-list > li").count() == 0
    # The form keeps the choice and accepts names as well as codes.
    page.get_by_label("Countries").fill("United Kingdom, France")
    page.get_by_label("Offence type").select_option("hostage_taking")
    page.get_by_role("button", name="Compare").click()
    assert page.locator("#compare-columns > section.column").count() == 2
    assert "countries=United+Kingdom" in page.url


def test_coverage_heatmap_cells_match_the_api_and_lead_to_their_search(page, api) -> None:  # type: ignore[no-untyped-def]
    body = api.get("/api/coverage", params={"by": "offence"}).json()
    columns = body["columns_with_provisions"]
    page.goto("/coverage?by=offence")
    cells = page.locator("#heatmap td.cell")
    assert cells.count() == len(body["rows"]) * len(columns)
    assert page.locator("#heatmap th.code").count() == len(columns)
    expected = {(r["country"], c): r["cells"][c] for r in body["rows"] for c in columns}
    shown = cells.evaluate_all(
        "els => els.map(e => [e.dataset.country, e.dataset.code, +e.dataset.count])"
    )
    assert {(a, b): n for a, b, n in shown} == expected
    # Darker means more: a cell's colour follows its count.
    lightness = cells.evaluate_all(
        "els => els.filter(e => +e.dataset.count > 0).map(e => [+e.dataset.count,"
        " getComputedStyle(e).backgroundColor])"
    )
    assert len({colour for _, colour in lightness}) > 3
    assert no_horizontal_overflow(page)[0] <= 1366
    screenshot(page, "coverage")

    # The biggest cell leads to a search with the same total.
    country, code, n = max(shown, key=lambda c: c[2])
    page.locator(f'td.cell[data-country="{country}"][data-code="{code}"] a').click()
    page.wait_for_url(f"**/?country={country}&offence={code}")
    assert result_total(page) == n


def test_coverage_by_instrument_and_downloads(page, api) -> None:  # type: ignore[no-untyped-def]
    page.goto("/coverage")
    page.get_by_label("Columns").select_option("instrument")
    page.get_by_label("Region").select_option("Africa")
    page.get_by_role("button", name="Show").click()
    body = api.get("/api/coverage", params={"by": "instrument", "region": "Africa"}).json()
    cells = page.locator("#heatmap td.cell")
    assert cells.count() == len(body["rows"]) * len(body["columns_with_provisions"])
    assert page.locator("#heatmap tr.region").all_text_contents() == ["Africa"]
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("country,name,region,")
    assert len(csv_text.splitlines()) == len(body["rows"]) + 1
    with page.expect_download() as svg_download:
        page.get_by_role("link", name="Download image (SVG)").click()
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.count("<rect") == cells.count() + 1
    screenshot(page, "coverage-instrument-africa")
