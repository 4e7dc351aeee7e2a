// The search form needs JavaScript and WebAssembly, so it stays hidden, with links to the
// document lists beside it, until this script runs. A file and not an inline script, so that
// the search page works under a strict Content-Security-Policy (issue 21).
for (const form of document.querySelectorAll(".search-ui")) {
  form.hidden = false;
}
