"""The provision page: text, place in the act, tags with their evidence, penalty, citation,
comparable provisions of other countries; right-to-left and CJK text."""

from __future__ import annotations

import re

from tests.browser.helpers import no_horizontal_overflow, screenshot


def _first(api, **params) -> dict:  # type: ignore[no-untyped-def]
    hits = api.get("/api/search", params={**params, "size": 1}).json()["hits"]
    assert hits, f"the bundled corpus has no provision for {params}"
    return api.get(f"/api/provisions/{hits[0]['id']}").json()


def _with_evidence_in_text(api, **params) -> dict:  # type: ignore[no-untyped-def]
    """A provision whose tagging evidence occurs in its text (not only in its heading)."""
    for hit in api.get("/api/search", params={**params, "size": 20}).json()["hits"]:
        p = api.get(f"/api/provisions/{hit['id']}").json()
        words = [w for t in p["tags"] for e in t["evidence"] for w in e["matched"]]
        if any(len(w) > 1 and w.lower() in p["text"].lower() for w in words):
            return p
    raise AssertionError(f"no provision for {params} has its evidence in its text")


def test_provision_shows_its_tags_with_evidence_highlighted(page, api) -> None:  # type: ignore[no-untyped-def]
    p = _with_evidence_in_text(api, country="GBR", offence="financing", q="funds")
    page.goto(f"/p/{p['id']}")
    assert page.locator("#citation").inner_text() == p["citation"]
    # Where it sits in its act.
    crumbs = page.get_by_role("navigation", name="Place in the act")
    assert crumbs.get_by_role("link", name="United Kingdom").is_visible()
    assert crumbs.get_by_role("link", name=p["document_title"]).is_visible()
    # Tags, each with a name and the words that triggered it.
    items = page.locator("#tag-list > li")
    assert sorted(items.evaluate_all("els => els.map(e => e.dataset.code)")) == sorted(
        t["code"] for t in p["tags"]
    )
    financing = page.locator('#tag-list > li[data-code="financing"]')
    assert "Financing of terrorism" in financing.inner_text()
    words = {w.lower() for t in p["tags"] for e in t["evidence"] for w in e["matched"]}
    shown = {m.lower() for m in financing.locator("mark").all_inner_texts()}
    assert shown and all(any(w in s for w in words) for s in shown)
    # The same evidence is highlighted in the text itself.
    marked = [m.lower() for m in page.locator("#provision-text mark").all_inner_texts()]
    assert marked and all(any(w in m for w in words) for m in marked)
    if p["penalty"]:
        assert page.locator("#penalty").inner_text().strip()
    screenshot(page, "provision")

    # Previous / next walk the act.
    if p["next"]:
        page.get_by_role("link", name="Next provision →").click()
        assert page.url.endswith(p["next"])
        page.get_by_role("link", name="← Previous provision").click()
        assert page.url.endswith(p["id"])


def test_comparable_provisions_come_from_other_countries(page, api) -> None:  # type: ignore[no-untyped-def]
    p = _first(api, country="GBR", offence="financing", q="funds")
    page.goto(f"/p/{p['id']}")
    section = page.locator("section.similar")
    hits = section.locator(".hit")
    assert hits.count() >= 3, section.inner_text()
    countries = section.locator(".hit .cc").all_inner_texts()
    assert countries and "GBR" not in countries
    link = hits.first.locator(".hit-title a")
    target = link.get_attribute("href")
    link.click()
    assert page.url.endswith(target)


def test_copy_citation_and_add_to_basket(page, api) -> None:  # type: ignore[no-untyped-def]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    p = _first(api, country="FRA", offence="financing")
    page.goto(f"/p/{p['id']}")
    page.get_by_role("button", name="Copy citation").click()
    assert page.evaluate("navigator.clipboard.readText()") == p["citation"]
    add = page.locator(".cite [data-basket-add]")
    add.click()
    assert add.get_attribute("aria-pressed") == "true"
    assert page.locator("[data-basket-count]").inner_text() == "1"


def test_arabic_provision_reads_right_to_left(page, api) -> None:  # type: ignore[no-untyped-def]
    p = _first(api, language="ar", offence="financing")
    page.goto(f"/p/{p['id']}")
    text = page.locator("#provision-text")
    assert text.get_attribute("dir") == "rtl"
    assert text.get_attribute("lang") == "ar"
    style = text.evaluate(
        "e => { const s = getComputedStyle(e); return [s.direction, s.fontFamily]; }"
    )
    assert style[0] == "rtl"
    assert "Arabic" in style[1]
    # Lines start on the right: the first character sits near the right edge of the box.
    box = text.bounding_box()
    first = text.evaluate(
        r"""e => { const w = document.createTreeWalker(e, NodeFilter.SHOW_TEXT); let n;
                   while ((n = w.nextNode()) && !n.textContent.trim()) {}
                   const i = n.textContent.search(/\S/); const r = document.createRange();
                   r.setStart(n, i); r.setEnd(n, i + 1);
                   return r.getBoundingClientRect().right; }"""
    )
    assert first > box["x"] + box["width"] * 0.7
    # Evidence marks hold whole words (a mark inside a word breaks Arabic letter joining).
    whole = text.evaluate(
        r"""e => [...e.querySelectorAll('mark')].every(m => {
              const before = m.previousSibling ? m.previousSibling.textContent.slice(-1) : '';
              const after = m.nextSibling ? m.nextSibling.textContent.slice(0, 1) : '';
              return !/\p{L}/u.test(before) && !/\p{L}/u.test(after); })"""
    )
    assert whole
    assert no_horizontal_overflow(page)[0] <= 1366
    screenshot(page, "provision-arabic")


def test_hebrew_and_chinese_text(page, api) -> None:  # type: ignore[no-untyped-def]
    he = _first(api, language="he")
    page.goto(f"/p/{he['id']}")
    assert page.locator("#provision-text").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "Hebrew" in page.locator("#provision-text").evaluate(
        "e => getComputedStyle(e).fontFamily"
    )
    zh = _first(api, language="zh", offence="financing")
    page.goto(f"/p/{zh['id']}")
    family = page.locator("#provision-text").evaluate("e => getComputedStyle(e).fontFamily")
    assert "CJK SC" in family
    assert re.search(r"[\u4e00-\u9fff]", page.locator("#provision-text").inner_text())
    assert no_horizontal_overflow(page)[0] <= 1366
    screenshot(page, "provision-chinese")


def test_unknown_provision_is_a_readable_404(page) -> None:  # type: ignore[no-untyped-def]
    response = page.goto("/p/gbr/act/2000/terrorism-act/~sec_99999")
    assert response.status == 404
    assert page.get_by_role("heading", name="Provision not found").is_visible()
    assert page.get_by_role("link", name="Back to search").is_visible()
