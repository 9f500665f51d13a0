// A page holds only the tabs of the book's first framework; each tab set names its frameworks
// (`data-tabs`) and the panels of every other framework are in `_panels/<page>.<framework>.js`
// (panels.py). The other tabs are made when the page is parsed, before design-tabs.js wires and
// syncs them (book.js comes first); the reader's framework's panels are loaded with the page, and
// the article stays hidden until they are in; another framework's load when its tab is picked.
// Tab sets that lack the reader's framework are hidden.
(() => {
  const STORAGE_KEY = "builders-guide-tab-framework"; // sd_tabs_storage_prefix + sync group
  const loads = new Map();
  const arrived = {};
  let meta = null;

  function chosen() {
    const asked = new URLSearchParams(window.location.search).get("framework"); // as design-tabs.js
    if (asked) return asked;
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch (err) {
      return null; // storage blocked: the first framework is the default
    }
  }
  function whenReady(callback) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback);
    else callback();
  }
  // Code blocks that arrive after sphinx-copybutton ran get its button too (ClipboardJS listens
  // on the document, so a copy of an existing button works): a copy taken before any button was
  // used, not one that shows "Copied!" at the time.
  let copyButton = null;
  function copyButtonModel() {
    if (!copyButton) {
      const model = document.querySelector(".copybtn:not(.success)");
      copyButton = model && model.cloneNode(true);
    }
    return copyButton;
  }
  window.addEventListener("load", copyButtonModel);
  function addCopyButtons(panel) {
    const model = copyButtonModel();
    if (!model) return; // sphinx-copybutton has not run yet: it will give them their buttons
    panel.querySelectorAll("div.highlight pre").forEach((pre, k) => {
      if (pre.nextElementSibling && pre.nextElementSibling.classList.contains("copybtn")) return;
      pre.id = pre.id || `${panel.id}-${k}`;
      const button = model.cloneNode(true);
      button.dataset.clipboardTarget = `#${pre.id}`;
      pre.after(button);
    });
  }
  // The words of a search that led here (sphinx_highlight.js reads and forgets them at load).
  const searched = (() => {
    try {
      const terms = window.localStorage.getItem("sphinx_highlight_terms") || new URLSearchParams(window.location.search).get("highlight");
      return (terms || "").toLowerCase().split(/\s+/).filter(Boolean);
    } catch (err) {
      return [];
    }
  })();
  function highlightSearched(panel) {
    if (searched.length && typeof _highlightText === "function" && document.querySelector("#searchbox .highlight-link")) {
      searched.forEach((term) => _highlightText(panel, term, "highlighted"));
    }
  }
  const FAILED = "book-panels-failed";
  const isEmpty = (panel) => !panel.children.length || (panel.children.length === 1 && panel.firstElementChild.classList.contains(FAILED));
  function fill(framework) {
    const html = arrived[framework];
    const template = document.createElement("template");
    template.innerHTML = html || "";
    const contents = [...template.content.children];
    for (const label of document.querySelectorAll(`.framework-tabs > label[data-sync-id="${framework}"]`)) {
      const panel = document.getElementById(label.getAttribute("aria-controls"));
      if (!panel || !isEmpty(panel)) continue;
      if (html === undefined) {
        // Its file did not load (offline, a partial copy of the site): say so; a pick tries again.
        panel.replaceChildren(Object.assign(document.createElement("p"), { className: FAILED, textContent: meta.dataset.failed }));
      } else if (contents.length) {
        panel.replaceChildren(...contents.shift().childNodes);
        addCopyButtons(panel);
        highlightSearched(panel);
      }
    }
    if (html === undefined) loads.delete(framework);
    document.dispatchEvent(new CustomEvent("book:panels", { detail: framework }));
  }
  function load(framework) {
    if (!meta || !meta.dataset.files.split(" ").includes(framework)) return Promise.resolve();
    if (!loads.has(framework)) {
      const loaded = new Promise((resolve) => {
        const script = document.createElement("script");
        script.src = `${meta.content}.${framework}.js`;
        script.onload = resolve;
        script.onerror = () => {
          script.remove();
          resolve();
        };
        document.head.append(script);
      });
      loads.set(framework, loaded.then(() => new Promise((resolve) => whenReady(() => resolve(fill(framework))))));
    }
    return loads.get(framework);
  }
  // The tabs panels.py took out, as `tab_markup` writes them for `join_page`.
  function addTabs() {
    const labels = meta ? JSON.parse(meta.dataset.labels) : {};
    document.querySelectorAll(".framework-tabs[data-tabs]").forEach((set, n) => {
      const first = set.querySelector(":scope > input");
      const name = first ? first.name : `s-x${n}`;
      const tabs = [];
      for (const framework of set.dataset.tabs.split(" ")) {
        const label = set.querySelector(`:scope > label[data-sync-id="${framework}"]`);
        if (label) {
          tabs.push(label.previousElementSibling, label, label.nextElementSibling);
          continue;
        }
        const key = `${name}-${framework}`;
        const input = Object.assign(document.createElement("input"), { id: key, name, type: "radio" });
        input.defaultChecked = !first && !tabs.length;
        const made = Object.assign(document.createElement("label"), { className: "sd-tab-label", htmlFor: key, textContent: labels[framework] });
        made.setAttribute("aria-controls", `${key}-c`);
        Object.assign(made.dataset, { syncGroup: "framework", syncId: framework });
        const panel = Object.assign(document.createElement("div"), { className: "sd-tab-content", id: `${key}-c` });
        tabs.push(input, made, panel);
      }
      set.replaceChildren(...tabs);
    });
  }
  // A framework tab set without the reader's framework (prose that concerns another framework
  // only) is hidden: the reader sees the text of their framework, and no other framework's.
  function showOnly(framework) {
    for (const set of document.querySelectorAll(".framework-tabs")) {
      const ids = [...set.querySelectorAll(":scope > label")].map((label) => label.dataset.syncId);
      set.classList.toggle("book-other-framework", !ids.includes(framework));
    }
  }
  function pick(framework) {
    showOnly(framework);
    return load(framework);
  }
  // The tab a reader clicks stays where it is on the screen, however much the page above it
  // changes (other tab sets switch, prose for one framework shows or hides, panels arrive).
  function keepInPlace(label) {
    const top = label.getBoundingClientRect().top;
    const settle = () => {
      const moved = label.getBoundingClientRect().top - top;
      if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
    };
    window.requestAnimationFrame(settle);
    return settle;
  }
  document.addEventListener("DOMContentLoaded", () => {
    addTabs();
    // Without a choice, every tab set shows its first tab: the first framework of the book.
    // Nor with one that no tab of the page has (a mistyped ?framework=, a framework since removed).
    const first = document.querySelector(".framework-code-tabs > label") || document.querySelector(".framework-tabs > label");
    const framework = chosen();
    const known = framework && document.querySelector(`.framework-tabs > label[data-sync-id="${CSS.escape(framework)}"]`);
    showOnly(known ? framework : first && first.dataset.syncId);
  });
  window.bookPanels = (framework, html) => {
    arrived[framework] = html;
  };
  // Called from the page's head, after its <meta name="book:panels">.
  window.bookPanelsStart = () => {
    meta = document.querySelector('meta[name="book:panels"]');
    const framework = chosen();
    if (!meta || !framework || !meta.dataset.files.split(" ").includes(framework)) return;
    const root = document.documentElement;
    const show = () => root.classList.remove("book-panels-loading");
    root.classList.add("book-panels-loading");
    window.setTimeout(show, 3000); // a file that never answers must not hide the page
    load(framework).then(show);
  };
  // A tab picked by keyboard changes its input; a click on the label of a tab that is already
  // checked (the first of a set that lacks the reader's framework) changes nothing.
  document.addEventListener("change", (event) => {
    const label = event.target.closest(".framework-tabs > input") && event.target.nextElementSibling;
    if (label && label.dataset.syncId) pick(label.dataset.syncId);
  });
  document.addEventListener("click", (event) => {
    const label = event.target.closest(".framework-tabs > label");
    if (!label || !label.dataset.syncId) return;
    const settle = keepInPlace(label);
    pick(label.dataset.syncId).then(() => window.requestAnimationFrame(settle));
  });
})();

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

// sphinx-copybutton's tooltips in the page's language: its own table lacks some of ours (ja, pt).
// Its `messages` and `locale` are top-level bindings of copybutton.js, read when it adds its
// buttons at DOMContentLoaded, after this (book.js comes first).
document.addEventListener("DOMContentLoaded", () => {
  const texts = document.querySelector('meta[name="book:copybutton"]');
  if (!texts || typeof messages !== "object" || typeof locale !== "string") return;
  const lang = document.documentElement.lang;
  messages[lang] = JSON.parse(texts.content);
  locale = lang; // eslint-disable-line no-global-assign
});

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
  document.addEventListener("book:panels", markScrollable); // at once: the panels are in the page
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
