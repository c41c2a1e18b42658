// Progressive enhancement only: every page works without JavaScript except the basket.
(function () {
  "use strict";
  const KEY = "ctlex-basket";
  const FOCUS_KEY = "ctlex-facet-focus";

  // -- basket (ids of provisions, kept in localStorage) ------------------------------------
  const read = () => {
    try {
      const ids = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids.filter((x) => typeof x === "string") : [];
    } catch (e) {
      return [];
    }
  };
  const write = (ids) => {
    localStorage.setItem(KEY, JSON.stringify(ids));
    render();
  };
  const details = {}; // id -> provision JSON (or null when unknown)

  function renderButtons(ids) {
    document.querySelectorAll("[data-basket-count]").forEach((el) => {
      el.textContent = ids.length;
    });
    document.querySelectorAll("[data-basket-add]").forEach((btn) => {
      const inside = ids.includes(btn.dataset.basketAdd);
      btn.textContent = inside ? "In basket ✓ (remove)" : "Add to basket";
      btn.setAttribute("aria-pressed", inside ? "true" : "false");
    });
  }

  function basketItem(id) {
    const li = document.createElement("li");
    li.dataset.id = id;
    const p = details[id];
    const a = document.createElement("a");
    a.href = "/p/" + id;
    a.className = "citation";
    a.textContent = p ? p.citation : id;
    li.append(a);
    if (p && p.heading) {
      const h = document.createElement("span");
      h.className = "heading";
      h.textContent = " — " + p.heading;
      if (p.language) h.lang = p.language;
      li.append(h);
    }
    if (p === null) {
      const warn = document.createElement("span");
      warn.className = "status";
      warn.textContent = " (no longer in the database)";
      li.append(warn);
    }
    if (p && p.text) {
      const t = document.createElement("div");
      t.className = "snippet";
      t.textContent = p.text.length > 240 ? p.text.slice(0, 240) + "…" : p.text;
      if (p.language) t.lang = p.language;
      if (["ar", "he", "fa", "ur"].includes(p.language)) t.dir = "rtl";
      li.append(t);
    }
    const rm = document.createElement("button");
    rm.type = "button";
    rm.className = "secondary small";
    rm.textContent = "Remove";
    rm.setAttribute("aria-label", "Remove " + (p ? p.citation : id) + " from the basket");
    rm.addEventListener("click", () => write(read().filter((x) => x !== id)));
    li.append(rm);
    return li;
  }

  function renderBasket(ids) {
    const list = document.getElementById("basket-list");
    if (!list) return;
    list.replaceChildren(...ids.map(basketItem));
    const empty = document.getElementById("basket-empty");
    if (empty) empty.hidden = ids.length > 0;
    const actions = document.getElementById("basket-actions");
    if (actions) actions.hidden = ids.length === 0;
    const qs = ids.map((id) => "ids=" + encodeURIComponent(id)).join("&");
    document.querySelectorAll("[data-export]").forEach((link) => {
      link.href = "/api/export?format=" + link.dataset.export + "&" + qs;
    });
    ids.filter((id) => !(id in details)).forEach((id) => {
      details[id] = undefined;
      fetch("/api/provisions/" + encodeURI(id), { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((p) => {
          details[id] = p;
          render();
        })
        .catch(() => {});
    });
  }

  function render() {
    const ids = read();
    renderButtons(ids);
    renderBasket(ids);
  }

  // -- copy citation ---------------------------------------------------------------------
  function copy(button) {
    const text = button.dataset.copy;
    const done = () => {
      button.textContent = "Copied ✓";
      setTimeout(() => { button.textContent = "Copy citation"; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => selectCitation());
    } else {
      selectCitation();
    }
  }
  function selectCitation() {
    // Fallback: select the citation so that Ctrl+C copies it.
    const el = document.getElementById("citation");
    if (!el) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  document.addEventListener("click", (ev) => {
    const add = ev.target.closest("[data-basket-add]");
    if (add) {
      const id = add.dataset.basketAdd;
      const ids = read();
      write(ids.includes(id) ? ids.filter((x) => x !== id) : ids.concat([id]));
    }
    const button = ev.target.closest("[data-copy]");
    if (button) copy(button);
    if (ev.target.closest("#basket-clear")) write([]);
  });

  // -- search forms: clean URLs; a tick reloads the results; focus comes back ------------
  function go(form) {
    // The same request as the plain form, without empty fields and default values.
    const params = new URLSearchParams();
    new FormData(form).forEach((value, key) => {
      if (value === "" || (key === "sort" && value === "relevance")) return;
      params.append(key, value);
    });
    const qs = params.toString();
    window.location.assign(form.getAttribute("action") + (qs ? "?" + qs : ""));
  }
  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (form.matches("form.search, form.facet-form") && form.method === "get") {
      ev.preventDefault();
      go(form);
    }
  });
  document.addEventListener("change", (ev) => {
    const box = ev.target;
    if (box.matches("form.facet-form input[type=checkbox]")) {
      try {
        sessionStorage.setItem(FOCUS_KEY, JSON.stringify([box.name, box.value]));
      } catch (e) { /* private mode: focus is simply not restored */ }
      go(box.form);
    }
  });
  // Back/forward may restore the page as it was left (a box just ticked): show the state
  // the URL describes, which is what the server rendered.
  function resetForms() {
    document.querySelectorAll("form.facet-form input, form.search input").forEach((el) => {
      if (el.type === "checkbox") el.checked = el.defaultChecked;
      else if (el.type !== "hidden") el.value = el.defaultValue;
    });
    document.querySelectorAll("form.search select").forEach((sel) => {
      Array.from(sel.options).forEach((o) => { o.selected = o.defaultSelected; });
    });
  }
  function restoreFocus() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || "null");
      sessionStorage.removeItem(FOCUS_KEY);
    } catch (e) { return; }
    if (!saved) return;
    const boxes = document.querySelectorAll("form.facet-form input[type=checkbox]");
    const box = Array.from(boxes).find((b) => b.name === saved[0] && b.value === saved[1]);
    if (box) box.focus({ preventScroll: false });
  }

  document.querySelectorAll(".js-only").forEach((el) => { el.hidden = false; });
  document.querySelectorAll(".no-js").forEach((el) => { el.hidden = true; });
  render();
  restoreFocus();
  // The page may come back from the back/forward cache with another tab's basket.
  window.addEventListener("pageshow", (ev) => {
    if (ev.persisted) resetForms();
    render();
  });
  window.addEventListener("storage", (ev) => { if (ev.key === KEY) render(); });
})();
