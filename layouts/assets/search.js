// The search page (issue 16). A file and not an inline script, so that the page works under a
// strict Content-Security-Policy (issue 21). Loaded at the end of the page, before Pagefind's
// module script runs (module scripts run after the page is parsed), so the result template
// below is in place when <pagefind-results> starts.
//
// Without JavaScript the search form stays hidden and the text saying search needs it, with
// the document lists, is shown instead; this script hides that text (it runs before the page
// is first painted: it is the last thing in <body> and neither deferred nor a module).

// One result: its title, then municipality, kind and status (Pagefind metadata written by
// the layouts: data-pagefind-meta), a link straight to the easy-read version with its
// picture, and the excerpt. Pagefind escapes every {{ value }}; only the excerpt, which
// Pagefind itself marks up, is inserted as HTML ({{+ excerpt +}}).
const RESULT_TEMPLATE = `<li class="pf-result">
  <div class="pf-result-card">
    <div class="pf-result-content">
      <p class="pf-result-title">
        <a class="pf-result-link" href="{{ meta.url | default(url) | safeUrl }}">{{ meta.title }}</a>
      </p>
      {{#if meta.kommune}}
      <p class="result-facts">{{ meta.kommune }} · {{ meta.type }}</p>
      {{/if}}
      {{#if meta.status}}
      <p class="status-line">{{ meta.status }}</p>
      {{/if}}
      {{#if meta.letlaest}}
      <p class="result-easy-read"><a class="easy-read-link" href="{{ meta.letlaest | safeUrl }}"><img src="PICTURE" alt="" width="28" height="28">Letlæst<span class="visually-hidden"> udgave af {{ meta.title }}</span></a></p>
      {{/if}}
      {{#if excerpt}}
      <p class="pf-result-excerpt">{{+ excerpt +}}</p>
      {{/if}}
    </div>
  </div>
</li>`;

for (const form of document.querySelectorAll(".search-ui")) {
  const results = form.querySelector("pagefind-results");
  if (results) {
    const template = document.createElement("script");
    template.type = "text/pagefind-template";        // data for Pagefind, never run
    template.textContent = RESULT_TEMPLATE.replace(
      "PICTURE", form.dataset.easyReadPicture || "");
    results.append(template);
  }
  form.hidden = false;
}
for (const text of document.querySelectorAll(".search-fallback")) {
  text.hidden = true;
}

// ?q=ord, from the search field in every page's header: search for it at once.
document.addEventListener("DOMContentLoaded", () => {
  const term = new URLSearchParams(window.location.search).get("q");
  const input = document.querySelector("pagefind-input input");
  if (term && input) {
    input.value = term;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
});
