"""The basket: provisions chosen on search and provision pages, kept in localStorage, downloaded
as a Word file that holds the chosen clauses with their citations."""

from __future__ import annotations

from docx import Document

from tests.browser.helpers import screenshot


def test_basket_to_word_document(page, api) -> None:  # type: ignore[no-untyped-def]
    page.goto("/?q=financing&country=GBR")
    hits = page.locator("article.hit")
    buttons = [hits.nth(i).locator("[data-basket-add]") for i in (0, 1)]
    chosen = [b.get_attribute("data-basket-add") for b in buttons]
    for i in (0, 1):
        hits.nth(i).get_by_role("button", name="Add to basket").click()
    assert page.locator("[data-basket-count]").inner_text() == "2"

    # A third one from another country's provision page.
    other = api.get("/api/search", params={"country": "FRA", "offence": "financing", "size": 1})
    third = other.json()["hits"][0]["id"]
    page.goto(f"/p/{third}")
    page.locator(".cite [data-basket-add]").click()
    chosen.append(third)

    page.goto("/basket")
    items = page.locator("#basket-list > li")
    assert items.evaluate_all("els => els.map(e => e.dataset.id)") == chosen
    citations = [api.get(f"/api/provisions/{pid}").json()["citation"] for pid in chosen]
    page.wait_for_function(
        "n => [...document.querySelectorAll('#basket-list a.citation')]"
        ".filter(a => !a.textContent.includes('/~')).length === n",
        arg=3,
    )
    assert page.locator("#basket-list a.citation").all_inner_texts() == citations
    screenshot(page, "basket")

    # Removing one, then the Word download holds exactly the others.
    items.nth(1).get_by_role("button").click()
    kept = [chosen[0], chosen[2]]
    assert page.locator("#basket-list > li").count() == 2
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Word (.docx)").click()
    assert download.value.suggested_filename.endswith(".docx")
    doc = Document(download.value.path())
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"1. {citations[0]}", f"2. {citations[2]}"]
    text = "\n".join(p.text for p in doc.paragraphs)
    for pid in kept:
        clause = api.get(f"/api/provisions/{pid}").json()["text"].strip()
        assert clause.split("\n")[0].strip()[:80] in text

    # The basket survives a reload (localStorage), and can be emptied.
    page.reload()
    assert page.locator("#basket-list > li").count() == 2
    page.get_by_role("button", name="Empty the basket").click()
    assert page.locator("#basket-empty").is_visible()
    assert page.locator("[data-basket-count]").inner_text() == "0"
