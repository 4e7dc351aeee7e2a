// The search page (issue 16). A file and not an inline script, so that the page works under a
// strict Content-Security-Policy (issue 21). Loaded at the end of the page, before Pagefind's
// module script runs (module scripts run after the page is parsed), so the result template
// below is in place when <pagefind-results> starts.
//
// Without JavaScript the search form stays hidden and the text saying search needs it, with
// the document lists, is shown instead; this script hides that text (it runs before the page
// is first painted: it is the last thing in <body> and neither deferred nor a module).

// One result (issue 29: what a listener skims): a heading per result, its link naming the
// document and the municipality, then kind and status (Pagefind metadata written by the
// layouts: data-pagefind-meta), a link straight to the easy-read version with its picture
// and one name ("Letlæst udgave af ..."), and the excerpt, said to be one. Pagefind escapes
// every {{ value }}; only the excerpt, which Pagefind itself marks up, is inserted as HTML
// ({{+ excerpt +}}).
const RESULT_TEMPLATE = `<li class="pf-result">
  <div class="pf-result-card">
    <div class="pf-result-content">
      <h2 class="pf-result-title">
        <a class="pf-result-link" href="{{ meta.url | default(url) | safeUrl }}">{{ meta.title }}{{#if meta.kommune}}<span class="result-municipality">, {{ meta.kommune }}</span>{{/if}}</a>
      </h2>
      {{#if meta.type}}
      <p class="result-facts">{{ meta.type }}</p>
      {{/if}}
      {{#if meta.status}}
      <p class="status-line">{{ meta.status }}</p>
      {{/if}}
      {{#if meta.letlaest}}
      <p class="result-easy-read"><a class="easy-read-link" href="{{ meta.letlaest | safeUrl }}" aria-label="Letlæst udgave af {{ meta.title }}"><img src="PICTURE" alt="" width="28" height="28">Letlæst</a></p>
      {{/if}}
      {{#if excerpt}}
      <p class="pf-result-excerpt">Fra teksten: <span class="excerpt">{{+ excerpt +}}</span></p>
      {{/if}}
    </div>
  </div>
</li>`;

// What Pagefind's own markup makes a screen reader say, made quiet (issue 29):
// - its highlights (<mark>) are "highlight start ... highlight end" around every hit: they
//   stay visible, and are read as the text they are;
// - its live regions have role="status": read as empty "status bar"s while browsing. They
//   keep aria-live, so the number of results is still announced;
// - the field's label is visible (a label only screen readers get is no label to a sighted
//   or voice-control user, WCAG 2.5.3 and 3.3.2), above the field;
// - the hint "Resultater vises mens du skriver" is the field's description: heard with the
//   field, not a second time as text beside it.
function quieten(root) {
  for (const mark of root.querySelectorAll("mark:not([role])")) {
    mark.setAttribute("role", "none");
  }
  for (const region of root.querySelectorAll('[aria-live][role="status"]')) {
    region.removeAttribute("role");
  }
  for (const wrapper of root.querySelectorAll(".pf-input-wrapper")) {
    const label = wrapper.querySelector("label[data-pf-sr-hidden]");
    if (label) {
      label.removeAttribute("data-pf-sr-hidden");
      label.classList.add("search-label");
      wrapper.before(label);
    }
  }
  for (const hint of root.querySelectorAll('[id^="pf-input-hint"]:not([aria-hidden])')) {
    hint.setAttribute("aria-hidden", "true");
  }
  // Pagefind makes a filter's id from its value ('pf-filter-Kommune-Albertslund Kommune-..'):
  // an id with spaces is no id, so the label's for= names nothing a checker can find.
  for (const box of root.querySelectorAll('.pf-filter-checkbox input[id*=" "]')) {
    const label = box.closest("label");
    box.id = box.id.replace(/\s+/g, "-");
    if (label) label.htmlFor = box.id;
  }
  // A closed filter group's options are not shown; say so with hidden, which every checker
  // reads (IBM Equal Access takes the checkboxes inside a closed <details> for shown fields
  // whose labels are not).
  for (const group of root.querySelectorAll("details.pf-filter-group:not([data-shown-when-open])")) {
    group.dataset.shownWhenOpen = "";
    const show = () => {
      for (const part of group.querySelectorAll(":scope > fieldset")) part.hidden = !group.open;
    };
    group.addEventListener("toggle", show);
    show();
  }
}

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
new MutationObserver(() => quieten(document.body)).observe(document.body,
  { childList: true, subtree: true });
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
