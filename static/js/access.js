// 长者模式 and 朗读 on every public page. Loaded in <head> without defer so the mode's class is on
// <html> before the first paint. The HTML never depends on the visitor (pages are cached whole and
// shared): the choice lives in this browser's localStorage; without scripts the header link's
// ?mode=elder gives the same mode for that page.
(function () {
  "use strict";
  var KEY = "portal.elderMode";
  var root = document.documentElement;
  var fromUrl = new URLSearchParams(window.location.search).get("mode") === "elder";

  function remember(on) {
    try {
      if (on) { window.localStorage.setItem(KEY, "1"); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage disabled: the mode lasts for this page only */ }
  }
  function remembered() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  // A visit through the no-script link is remembered too, so the next page keeps the mode.
  if (fromUrl) { remember(true); }
  if (fromUrl || remembered()) { root.classList.add("elder"); }

  function showToggle(link) {
    var on = root.classList.contains("elder");
    link.textContent = on ? "退出长者模式" : "长者模式";
    link.href = on ? link.getAttribute("data-off-href") : link.getAttribute("data-on-href");
  }

  function bindToggle() {
    var link = document.getElementById("elder-toggle");
    if (!link) { return; }
    showToggle(link);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var on = !root.classList.contains("elder");
      root.classList.toggle("elder", on);
      remember(on);
      if (!on && fromUrl && window.history.replaceState) {
        // Leaving the mode must not come back on reload from the parameter in the address bar.
        window.history.replaceState(null, "", link.getAttribute("data-off-href"));
        fromUrl = false;
      }
      showToggle(link);
    });
  }

  // Sentences of at most about 200 characters: long utterances are cut off by some engines.
  function chunks(text) {
    var parts = text.replace(/\s+/g, " ").split(/(?<=[。！？；!?;])/);
    var out = [];
    var current = "";
    parts.forEach(function (part) {
      if (current && (current + part).length > 200) { out.push(current); current = ""; }
      current += part;
      while (current.length > 200) { out.push(current.slice(0, 200)); current = current.slice(200); }
    });
    if (current.trim()) { out.push(current); }
    return out;
  }

  function chineseVoice(synth) {
    var voices = synth.getVoices() || [];
    var exact = voices.filter(function (v) { return /^zh[-_]CN/i.test(v.lang); });
    var any = voices.filter(function (v) { return /^(zh|cmn)/i.test(v.lang); });
    return exact[0] || any[0] || null;
  }

  function bindReader() {
    var button = document.getElementById("read-aloud");
    var main = document.getElementById("main");
    var synth = window.speechSynthesis;
    // Without the browser's own speech engine the button stays hidden; nothing is sent anywhere.
    if (!button || !main || !synth || typeof window.SpeechSynthesisUtterance !== "function") { return; }
    button.hidden = false;
    var reading = false;
    var session = 0; // events of a cancelled reading arrive late; they must not reset a new one
    function show(on) {
      reading = on;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "停止朗读" : "朗读本页";
    }
    button.addEventListener("click", function () {
      session += 1;
      if (reading) { synth.cancel(); show(false); return; }
      var mine = session;
      var done = function () { if (mine === session) { show(false); } };
      var voice = chineseVoice(synth);
      var list = chunks(main.innerText);
      list.forEach(function (text, i) {
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = "zh-CN";
        if (voice) { utterance.voice = voice; }
        if (i === list.length - 1) { utterance.onend = done; }
        utterance.onerror = done;
        synth.speak(utterance);
      });
      show(list.length > 0);
    });
    window.addEventListener("pagehide", function () { synth.cancel(); });
  }

  function ready() { bindToggle(); bindReader(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
