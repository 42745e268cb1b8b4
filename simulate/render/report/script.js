(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("details.item"));
  var filters = Array.prototype.slice.call(document.querySelectorAll(".toolbar [data-filter]"));
  var search = document.getElementById("search");
  var want = "";

  // apply shows the items of the chosen status that contain the text typed.
  function apply() {
    var text = search.value.trim().toLowerCase();
    var shown = 0;
    items.forEach(function (it) {
      var ok = (want === "" || it.dataset.class === want) &&
        (text === "" || it.textContent.toLowerCase().indexOf(text) >= 0);
      it.hidden = !ok;
      if (ok) { shown++; }
    });
    document.querySelectorAll("section.items").forEach(function (s) {
      var any = s.querySelector("details.item:not([hidden])");
      s.hidden = s.querySelector("details.item") !== null && any === null;
    });
    document.getElementById("empty").hidden = shown > 0 || items.length === 0;
  }
  filters.forEach(function (b) {
    b.addEventListener("click", function () {
      want = b.dataset.filter;
      filters.forEach(function (o) { o.setAttribute("aria-pressed", o === b ? "true" : "false"); });
      apply();
    });
  });
  search.addEventListener("input", apply);
  function openAll(open) {
    items.forEach(function (it) { if (!it.hidden) { it.open = open; } });
  }
  document.getElementById("expand").addEventListener("click", function () { openAll(true); });
  document.getElementById("collapse").addEventListener("click", function () { openAll(false); });
  window.addEventListener("beforeprint", function () { openAll(true); });

  // copy puts text on the clipboard: the Clipboard API where the browser
  // allows it, else a selected textarea and the copy command.
  function fallback(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallback(text); });
    }
    return fallback(text);
  }
  document.querySelectorAll("button.copy").forEach(function (b) {
    b.addEventListener("click", function () {
      var pre = b.closest(".code").querySelector("pre");
      copy(pre.textContent).then(function () {
        b.textContent = "copied"; b.classList.add("done");
      }, function () {
        b.textContent = "select and copy";
        var r = document.createRange(); r.selectNodeContents(pre);
        var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
      });
    });
  });
  apply();
})();
