// Chinese labels for the rich-text editor's menu. django-prose-editor translates its dialogs
// through Django's JavaScript catalog (gettext) but leaves the menu's titles in English; this
// passes them through the same catalog (locale/zh_Hans/LC_MESSAGES/djangojs.po).
(function () {
  "use strict";
  var translate = function (text) {
    var gettext = window.gettext;
    if (!gettext || !text) return text;
    // The menu says "heading 2" in titles and "Heading 2" in the block-type picker.
    var heading = /^heading (\d)$/i.exec(text);
    return heading ? gettext("heading %s").replace("%s", heading[1]) : gettext(text);
  };
  var label = function (root) {
    root.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]").forEach(function (el) {
      ["title", "aria-label"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        var zh = translate(value);
        if (zh !== value) el.setAttribute(attr, zh);
      });
    });
    root.querySelectorAll(".prose-menubar button:not(.material-icons), .prose-menubar option, .prose-menubar p, .prose-menubar__option > *").forEach(function (el) {
      if (el.children.length) return;
      var zh = translate(el.textContent);
      if (zh !== el.textContent) el.textContent = zh;
    });
  };
  var observer = new MutationObserver(function () {
    label(document);
  });
  document.addEventListener("DOMContentLoaded", function () {
    label(document);
    observer.observe(document.body, { childList: true, subtree: true });
  });
})();
