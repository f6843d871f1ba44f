// Presenting the slides: keys move between slides, the slide scales to the window, S opens a
// speaker view (notes, next slide, elapsed time, speaking times) in a second window.
(function () {
  "use strict";
  var body = document.body;
  var pages = Array.prototype.slice.call(document.querySelectorAll(".page"));
  var width = parseFloat(body.dataset.width), height = parseFloat(body.dataset.height);
  var labels = JSON.parse(body.dataset.labels);
  var current = -1, started = Date.now(), speaker = null, hintTimer = null;
  document.documentElement.classList.add("scripted");

  function fit() {
    var scale = Math.min(window.innerWidth / width, window.innerHeight / height);
    document.documentElement.style.setProperty("--scale", String(scale));
  }

  function fromHash() {
    var number = parseInt(window.location.hash.replace(/^#(slide-)?/, ""), 10);
    return isNaN(number) ? 0 : number - 1;
  }

  function show(index) {
    index = Math.max(0, Math.min(pages.length - 1, index));
    if (index === current) { return; }
    current = index;
    pages.forEach(function (page, i) { page.classList.toggle("current", i === index); });
    var hash = "#" + (index + 1);
    if (window.location.hash !== hash) { history.replaceState(null, "", hash); }
    body.dataset.current = String(index + 1);
    renderSpeaker();
  }

  var KEYS = {
    ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, Spacebar: 1, Enter: 1, n: 1, N: 1,
    ArrowLeft: -1, ArrowUp: -1, PageUp: -1, Backspace: -1, p: -1, P: -1
  };

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key;
    if (key === "Home") { show(0); }
    else if (key === "End") { show(pages.length - 1); }
    else if (key === "s" || key === "S") { openSpeaker(); }
    else if (Object.prototype.hasOwnProperty.call(KEYS, key)) {
      show(current + (event.shiftKey && key === " " ? -1 : KEYS[key]));
    } else { return; }
    event.preventDefault();
  }

  function hint() {
    body.classList.add("hint");
    clearTimeout(hintTimer);
    hintTimer = setTimeout(function () { body.classList.remove("hint"); }, 2500);
  }

  function clock(seconds) {
    var whole = Math.max(0, Math.round(seconds));
    var minutes = Math.floor(whole / 60), rest = whole % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // The speaker view is written by this window into a blank one it opened, so it needs no file
  // of its own and works from file:// too; it gets the slides' styles (fonts included).
  function openSpeaker() {
    if (speaker && !speaker.closed) { speaker.focus(); return; }
    speaker = window.open("", "briefing-speaker", "width=1100,height=720");
    if (!speaker) { return; }
    var doc = speaker.document;
    doc.open();
    doc.write("<!DOCTYPE html><html lang='" + document.documentElement.lang + "'><head>" +
      "<meta charset='utf-8'><title></title></head><body class='speaker'></body></html>");
    doc.close();
    doc.title = labels.notes + " · " + document.title;
    Array.prototype.forEach.call(document.querySelectorAll("style"), function (style) {
      doc.head.appendChild(doc.importNode(style, true));
    });
    var own = doc.createElement("style");
    own.textContent = SPEAKER_CSS;
    doc.head.appendChild(own);
    doc.body.innerHTML =
      "<header><span class='elapsed'></span><span class='position'></span></header>" +
      "<section class='now'><h2></h2><div class='notes-now'></div></section>" +
      "<aside><h3></h3><div class='next'></div><table class='times'></table></aside>";
    doc.querySelector("aside h3").textContent = labels.next;
    var rows = pages.map(function (page, i) {
      return "<tr data-index='" + i + "'><td>" + (i + 1) + "</td><td class='t'></td><td>" +
        page.dataset.speaking + "</td></tr>";
    }).join("");
    var table = doc.querySelector(".times");
    table.innerHTML = "<tr><th colspan='2'>" + labels.speaking + "</th><th></th></tr>" + rows +
      "<tr class='total'><td></td><td>" + labels.total + "</td><td>" + body.dataset.total +
      "</td></tr>";
    pages.forEach(function (page, i) {
      var cell = table.querySelector("tr[data-index='" + i + "'] .t");
      cell.textContent = page.querySelector(".notes").dataset.title;
    });
    doc.addEventListener("keydown", onKey);
    speaker.addEventListener("resize", renderSpeaker);
    setInterval(function () {
      if (!speaker || speaker.closed) { return; }
      var shown = doc.querySelector(".elapsed");
      if (shown) { shown.textContent = labels.elapsed + " " + clock((Date.now() - started) / 1000); }
    }, 1000);
    renderSpeaker();
  }

  function renderSpeaker() {
    if (!speaker || speaker.closed || current < 0) { return; }
    var doc = speaker.document, page = pages[current];
    var notes = page.querySelector(".notes");
    doc.querySelector(".position").textContent =
      labels.slide + " " + (current + 1) + " / " + pages.length + " · " + page.dataset.speaking;
    doc.querySelector(".elapsed").textContent =
      labels.elapsed + " " + clock((Date.now() - started) / 1000);
    doc.querySelector(".now h2").textContent = notes.dataset.title;
    var lines = doc.querySelector(".notes-now");
    lines.innerHTML = "";
    Array.prototype.forEach.call(notes.querySelectorAll("p:not(.speaking)"), function (p) {
      lines.appendChild(doc.importNode(p, true));
    });
    var next = doc.querySelector(".next");
    next.innerHTML = "";
    if (current + 1 < pages.length) {
      var copy = doc.importNode(pages[current + 1].querySelector(".slide"), true);
      var room = next.clientWidth || 360;
      copy.style.transform = "scale(" + room / width + ")";
      copy.style.transformOrigin = "0 0";
      next.style.height = height * room / width + "px";
      next.appendChild(copy);
    } else {
      next.textContent = labels.end;
    }
    Array.prototype.forEach.call(doc.querySelectorAll(".times tr[data-index]"), function (row) {
      row.classList.toggle("on", row.dataset.index === String(current));
    });
  }

  var SPEAKER_CSS =
    "body.speaker{margin:0;font:16px 'Source Sans Pro','Noto Sans CJK SC',sans-serif;" +
    "background:#111;color:#eee;display:grid;grid-template-columns:1fr 380px;" +
    "grid-template-rows:auto 1fr;height:100vh;gap:0 20px;padding:0 20px;box-sizing:border-box}" +
    "header{grid-column:1/3;display:flex;justify-content:space-between;padding:12px 0;" +
    "font-size:20px;border-bottom:1px solid #333}" +
    ".elapsed{font-variant-numeric:tabular-nums;color:#ffd166}" +
    ".now{overflow:auto}.now h2{font-size:18px;color:#9ab}" +
    ".notes-now p{font-size:24px;line-height:1.5;margin:0 0 0.6em}" +
    "aside{overflow:auto}aside h3{font-size:14px;color:#9ab;margin:14px 0 6px}" +
    ".next{position:relative;overflow:hidden;background:#000}" +
    ".times{width:100%;border-collapse:collapse;margin-top:14px;font-size:13px}" +
    ".times td,.times th{padding:2px 4px;text-align:left;color:#aaa}" +
    ".times td:last-child{text-align:right;font-variant-numeric:tabular-nums}" +
    ".times tr.on td{color:#fff;background:#234}.times .total td{border-top:1px solid #444;color:#eee}";

  window.addEventListener("resize", fit);
  window.addEventListener("hashchange", function () { show(fromHash()); });
  document.addEventListener("keydown", onKey);
  document.addEventListener("mousemove", hint);
  fit();
  show(fromHash());
})();
