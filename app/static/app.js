// Progressive enhancement only: every page works without JavaScript except the basket.
(function () {
  const KEY = "ctlex-basket";
  const read = () => { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } };
  const write = (ids) => { localStorage.setItem(KEY, JSON.stringify(ids)); render(); };
  function render() {
    const ids = read();
    document.querySelectorAll("[data-basket-count]").forEach((el) => { el.textContent = ids.length; });
    document.querySelectorAll("[data-basket-add]").forEach((btn) => {
      const inside = ids.includes(btn.dataset.basketAdd);
      btn.textContent = inside ? "In basket ✓" : "Add to basket";
      btn.setAttribute("aria-pressed", inside ? "true" : "false");
    });
    const list = document.getElementById("basket-list");
    if (list) {
      list.innerHTML = "";
      ids.forEach((id) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = "/p/" + id; a.textContent = id;
        const rm = document.createElement("button");
        rm.type = "button"; rm.className = "secondary"; rm.textContent = "Remove";
        rm.addEventListener("click", () => write(read().filter((x) => x !== id)));
        li.append(a, " ", rm); list.append(li);
      });
      const empty = document.getElementById("basket-empty");
      if (empty) empty.hidden = ids.length > 0;
      document.querySelectorAll("[data-export]").forEach((link) => {
        const qs = ids.map((id) => "ids=" + encodeURIComponent(id)).join("&");
        link.href = "/api/export?format=" + link.dataset.export + "&" + qs;
        link.toggleAttribute("aria-disabled", ids.length === 0);
      });
    }
  }
  document.addEventListener("click", (ev) => {
    const add = ev.target.closest("[data-basket-add]");
    if (add) {
      const id = add.dataset.basketAdd; const ids = read();
      write(ids.includes(id) ? ids.filter((x) => x !== id) : ids.concat([id]));
    }
    const copy = ev.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(copy.dataset.copy).then(() => { copy.textContent = "Copied ✓"; });
    }
  });
  document.addEventListener("change", (ev) => {
    if (ev.target.matches("form.facet-form input[type=checkbox]")) ev.target.form.submit();
  });
  document.querySelectorAll(".js-only").forEach((el) => { el.hidden = false; });
  document.querySelectorAll(".no-js").forEach((el) => { el.hidden = true; });
  render();
})();
