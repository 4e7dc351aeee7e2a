// site_gen's part of the browser editor (issue 27): Decap CMS gets its configuration from
// /admin/settings.json (made from the front matter's declaration by site_gen/editor/config.py),
// an editor component for each ':::' block and for pictures, and a preview pane that shows
// the page as site_gen built it, with what the build said about it after each save.
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  var saves = new EventTarget();

  function post(path, data) {
    return fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(data)
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) { throw new Error(json.error || response.statusText); }
        return json;
      });
    });
  }

  function escapeHtml(text) {
    return String(text || "").replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function component(c) {
    var pattern = new RegExp(c.pattern);
    if (c.picture) {
      return {
        id: c.id, label: c.label, fields: c.fields, pattern: pattern,
        fromBlock: function (m) { return { alt: m[1] || "", src: m[2] || "", decorative: !!m[3] }; },
        toBlock: function (d) {
          var alt = d.decorative ? "" : (d.alt || "").replace(/[\[\]\n]/g, " ").trim();
          return "![" + alt + "](" + (d.src || "") + ")" + (d.decorative ? "{.decorative}" : "");
        },
        toPreview: function (d) {
          return '<img src="' + escapeHtml(d.src) + '" alt="' + escapeHtml(d.decorative ? "" : d.alt) + '">';
        }
      };
    }
    return {
      id: c.id, label: c.label, fields: c.fields, pattern: pattern,
      fromBlock: function (m) { return { label: (m[1] || "").trim(), text: m[2] || "" }; },
      toBlock: function (d) {
        var label = (d.label || "").replace(/\n/g, " ").trim();
        return "::: " + c.block + (label ? " " + label : "") + "\n" + (d.text || "").trim() + "\n:::";
      },
      toPreview: function (d) {
        return "<aside><p><strong>" + escapeHtml(d.label) + "</strong></p><p>" + escapeHtml(d.text) + "</p></aside>";
      }
    };
  }

  function goToField(name) {
    var control = document.querySelector('[id^="' + name + '-field-"]');
    if (control) { control.scrollIntoView({ block: "center" }); control.focus(); }
  }

  function previewFor(words, collection) {
    var easyRead = /-letlaest$/.test(collection.name);
    return createClass({
      getInitialState: function () { return { status: null, error: null, stamp: 0 }; },
      componentDidMount: function () {
        var self = this;
        this.onSaved = function () { self.load(); };
        saves.addEventListener("saved", this.onSaved);
        this.load();
      },
      componentWillUnmount: function () {
        saves.removeEventListener("saved", this.onSaved);
        clearTimeout(this.typing);
      },
      componentDidUpdate: function (before) {
        var body = this.props.entry.getIn(["data", "body"]);
        if (body === before.entry.getIn(["data", "body"]) || !this.path()) { return; }
        // While writing: the build's own checks of the text, 0.8 s after the last keystroke.
        var self = this;
        clearTimeout(this.typing);
        this.typing = setTimeout(function () {
          post("/admin/api/check", { path: self.path(), body: body || "" }).then(function (live) {
            self.setState({ live: live });
          }, function () { self.setState({ live: null }); });
        }, 800);
      },
      path: function () { return this.props.entry.get("path"); },
      load: function () {
        var self = this, path = this.path();
        if (!path) { return; }
        post("/admin/api/page", { path: path }).then(function (status) {
          self.setState({ status: status, error: null, stamp: Date.now() });
        }, function (error) { self.setState({ error: error.message }); });
      },
      makeEasyRead: function () {
        var self = this;
        post("/admin/api/easy-read", { path: this.path() }).then(function (made) {
          // A new page load: Decap keeps the open entry's form when only the hash changes.
          window.location.assign("/admin/#/collections/" + made.collection + "-letlaest/entries/" + made.slug + "/index");
          window.location.reload();
        }, function (error) { self.setState({ error: error.message }); });
      },
      render: function () {
        var self = this, status = this.state.status;
        var box = { fontFamily: "system-ui, sans-serif", fontSize: "16px", lineHeight: 1.5,
                    color: "#1a1a1a", background: "#fff", padding: "12px" };
        var bringIn = h("p", { key: "w" }, h("a", { href: "/admin/hent-word/" }, words.bring_in_word));
        if (!this.path() || (status && !status.built && !status.problems.length)) {
          return h("div", { style: box }, h("p", { role: "status" }, words.save_to_see), bringIn);
        }
        if (this.state.error) {
          return h("div", { style: box }, h("p", { role: "alert" }, this.state.error));
        }
        if (!status) { return h("div", { style: box }, h("p", { role: "status" }, words.building)); }
        var items = status.problems.map(function (p, i) {
          var parts = [h("strong", null, p.word + (p.line ? " (" + words.line + " " + p.line + ")" : "") + ": "), p.message];
          if (p.field) {
            parts.push(" ");
            parts.push(h("button", { type: "button", onClick: function () { goToField(p.field); } }, words.go_to_field));
          }
          return h("li", { key: i, "data-severity": p.severity, "data-code": p.code }, parts);
        });
        var children = [
          h("h2", { key: "h", style: { fontSize: "18px", margin: "0 0 8px" } }, words.problems),
          items.length ? h("ul", { key: "l", className: "site-gen-problems" }, items)
                       : h("p", { key: "n" }, words.none)
        ];
        if (status.lix) {
          children.push(h("p", { key: "x", className: "site-gen-lix" },
            words.readability + ": " + (status.lix.lix === null ? "-" : status.lix.lix) +
            " (" + status.lix.words + " " + words.words + ")"));
        }
        if (!easyRead && status.built) {
          children.push(h("p", { key: "e" }, h("button", { type: "button", onClick: this.makeEasyRead },
            status.easy_read ? words.open_easy_read : words.make_easy_read)));
        }
        if (status.url) {
          children.push(h("p", { key: "o" }, h("a", { href: status.url, target: "_blank", rel: "noopener" }, words.open_page)));
          // While the build has errors the preview serves its error page; the pane shows the
          // page's last good version, and its problems are listed above.
          children.push(h("iframe", { key: "f", src: status.url + "?v=" + this.state.stamp +
              (status.failed ? "&" + words.last_good : ""),
            title: words.page_frame, style: { width: "100%", height: "70vh", border: "1px solid #767676" } }));
        }
        var live = this.state.live, liveParts = [];
        if (live) {
          liveParts.push(h("h2", { key: "lh", style: { fontSize: "18px", margin: "16px 0 8px" } }, words.while_writing));
          if (live.lix) {
            liveParts.push(h("p", { key: "lx", className: "site-gen-live-lix" },
              words.readability + ": " + (live.lix.lix === null ? "-" : live.lix.lix) +
              " (" + live.lix.words + " " + words.words + ")"));
          }
          liveParts.push(live.problems.length ? h("ul", { key: "ll", className: "site-gen-live" },
            live.problems.map(function (p, i) {
              return h("li", { key: i, "data-severity": p.severity, "data-code": p.code },
                h("strong", null, p.word + (p.line ? " (" + words.line + " " + p.line + ")" : "") + ": "), p.message);
            })) : h("p", { key: "ln" }, words.none_yet));
          liveParts.push(h("h2", { key: "sh", style: { fontSize: "18px", margin: "16px 0 8px" } }, words.last_saved));
        }
        children.push(bringIn);
        return h("div", { style: box }, liveParts.concat(children));
      }
    });
  }

  fetch("/admin/settings.json", { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) { throw new Error(String(response.status)); }
    return response.json();
  }).then(function (settings) {
    settings.components.forEach(function (c) { CMS.registerEditorComponent(component(c)); });
    settings.decap.collections.forEach(function (collection) {
      CMS.registerPreviewTemplate(collection.name, previewFor(settings.words, collection));
    });
    CMS.registerEventListener({ name: "postSave", handler: function () {
      saves.dispatchEvent(new Event("saved"));
    } });
    // Decap opens the text as formatted text unless told: start in Markdown (config.py says
    // why); an author who switches keeps their choice.
    if (localStorage.getItem("cms.md-mode") === null) { localStorage.setItem("cms.md-mode", "raw"); }
    CMS.init({ config: settings.decap });
  }, function () {
    var failed = document.getElementById("site-gen-failed");   // its words: web.py
    failed.textContent = failed.getAttribute("data-text");
    failed.hidden = false;
  });
})();
