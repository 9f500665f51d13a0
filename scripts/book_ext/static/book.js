// pydata-sphinx-theme 0.17 puts a top bar before the book theme's article header, and both themes
// wire only the first .primary-toggle / .secondary-toggle on the page: the top bar's, which
// book.css hides. The visible buttons of the article header forward their clicks to those.
document.addEventListener("DOMContentLoaded", () => {
  for (const kind of ["primary", "secondary"]) {
    const [wired, ...others] = document.querySelectorAll(`.${kind}-toggle`);
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        wired.click();
      });
    }
  }
});

// A framework tab set without the reader's framework (prose that concerns another framework only)
// is hidden: the reader sees the text of their framework, and no other framework's by default.
(() => {
  const STORAGE_KEY = "builders-guide-tab-framework"; // sd_tabs_storage_prefix + sync group
  function show(framework) {
    for (const set of document.querySelectorAll(".framework-tabs")) {
      const ids = [...set.querySelectorAll(":scope > label")].map((label) => label.dataset.syncId);
      set.classList.toggle("book-other-framework", !ids.includes(framework));
    }
  }
  document.addEventListener("DOMContentLoaded", () => {
    let stored = null;
    try {
      stored = window.localStorage.getItem(STORAGE_KEY);
    } catch (err) {
      // storage blocked: the first framework is the default
    }
    // Without a stored choice, every tab set shows its first tab: the first framework of the book.
    const first = document.querySelector(".framework-code-tabs > label") || document.querySelector(".framework-tabs > label");
    show(stored || (first && first.dataset.syncId));
    document.addEventListener("click", (event) => {
      const label = event.target.closest("label[data-sync-group='framework']");
      if (label) show(label.dataset.syncId);
    });
  });
})();

// A code block or output that scrolls sideways must be reachable by keyboard (WCAG 2.1.1). The
// theme marks those visible at load; blocks in tabs or dropdowns opened later are marked here.
(() => {
  function markScrollable() {
    for (const el of document.querySelectorAll("article pre, article div.cell_output, article div.math")) {
      // (the theme gives blocks hidden at load tabindex="-1", which keeps them out of reach)
      if (el.scrollWidth > el.clientWidth && el.getAttribute("tabindex") !== "0") {
        el.setAttribute("tabindex", "0");
      }
    }
  }
  const later = () => window.requestAnimationFrame(markScrollable);
  document.addEventListener("DOMContentLoaded", later);
  window.addEventListener("resize", later);
  document.addEventListener("click", (event) => {
    if (event.target.closest("label[data-sync-group], summary")) later();
  });
  document.addEventListener("toggle", later, true);
})();

// Each framework tab set is a named group of radio buttons for screen readers.
document.addEventListener("DOMContentLoaded", () => {
  const name = document.querySelector('meta[name="book:framework-tabs"]');
  for (const set of document.querySelectorAll(".framework-tabs")) {
    set.setAttribute("role", "radiogroup");
    if (name && name.content) set.setAttribute("aria-label", name.content);
  }
});

// A language picked in the language menu is remembered: the site's front page sends the reader there.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".book-lang-switch a[data-lang]");
  if (!link) return;
  try {
    window.localStorage.setItem("builders-guide-language", link.dataset.lang);
  } catch (err) {
    // storage blocked: nothing to remember
  }
});
