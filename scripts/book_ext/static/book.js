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
