// The status page follows the queue by itself: it asks the box every few seconds (a plain
// GET, no cookies) and puts the answer's texts into the page. The texts come translated from
// the box; this script only moves them. When the ticket is called: colour and title change,
// the phone vibrates, and it beeps if the visitor allowed sound (phones play sound only
// after a tap on the page).
"use strict";
(function () {
  var body = document.body;
  var POLL_MS = 3000;
  var OVERVIEW_MS = 10000;
  var audio = null;
  var lastState = body.getAttribute("data-state");
  var baseTitle = document.title;

  function byId(id) { return document.getElementById(id); }
  function setText(id, value) {
    var el = byId(id);
    if (el && el.textContent !== value) { el.textContent = value; }
    if (el) { el.hidden = !value; }
  }
  function stamp() {
    var template = body.getAttribute("data-updated") || "";
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    setText("updated", template.replace("{time}", pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds())));
  }
  function offline(on) { var el = byId("offline"); if (el) { el.hidden = !on; } }

  function beep() {
    if (!audio) { return; }
    try {
      [0, 0.45, 0.9].forEach(function (at) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, audio.currentTime + at);
        gain.gain.exponentialRampToValueAtTime(0.4, audio.currentTime + at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + at + 0.35);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(audio.currentTime + at);
        osc.stop(audio.currentTime + at + 0.4);
      });
    } catch (e) { /* no sound on this phone: colour, title and vibration still tell */ }
  }
  function alertCalled() {
    if (navigator.vibrate) { navigator.vibrate([400, 150, 400, 150, 800]); }
    beep();
  }

  function applyTicket(view) {
    body.className = "state-" + view.state;
    body.setAttribute("data-state", view.state);
    setText("headline", view.headline);
    setText("ahead", view.ahead);
    setText("wait", view.wait);
    setText("topic", view.topic);
    var cancel = byId("cancel");
    if (cancel) { cancel.hidden = !view.can_cancel; }
    document.title = (view.state === "called" ? "\u25B6 " + view.headline + " \u2013 " : "") + baseTitle;
    if (view.state === "called" && lastState !== "called") { alertCalled(); }
    lastState = view.state;
  }

  function poll(url, apply, every) {
    var timer = null;
    function again() { timer = setTimeout(tick, every); }
    function tick() {
      var request = new XMLHttpRequest();
      request.open("GET", url, true);
      request.timeout = 8000;
      request.setRequestHeader("Accept", "application/json");
      request.onload = function () {
        if (request.status === 200) {
          offline(false);
          try { apply(JSON.parse(request.responseText)); } catch (e) { /* keep the last view */ }
          stamp();
          again();
        } else if (request.status === 404) {
          // The token is gone: the day is over (tokens hold until the day ends).
          offline(false);
          applyTicket({
            state: "expired", headline: body.getAttribute("data-expired") || "",
            ahead: "", wait: "", topic: byId("topic") ? byId("topic").textContent : "",
            can_cancel: false
          });
        } else { offline(true); again(); }
      };
      request.onerror = request.ontimeout = function () { offline(true); again(); };
      request.send();
    }
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { clearTimeout(timer); tick(); }
    });
    stamp();
    again();
  }

  var sound = byId("sound");
  if (sound) {
    sound.hidden = false;
    sound.addEventListener("click", function () {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (Context && !audio) { audio = new Context(); }
      if (audio && audio.resume) { audio.resume(); }
      beep();
      if (navigator.vibrate) { navigator.vibrate(200); }
      sound.hidden = true;
    });
  }
  var no = byId("cancel-no");
  if (no) {
    no.addEventListener("click", function () { var d = byId("cancel"); if (d) { d.open = false; } });
  }

  function li(parent, cls, value) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = value;
    p.hidden = !value;
    parent.appendChild(p);
    return p;
  }
  function applyOverview(data) {
    var list = byId("topics");
    if (!list) { return; }
    var items = document.createDocumentFragment();
    data.topics.forEach(function (topic) {
      var item = document.createElement("li");
      item.className = topic.open ? "open" : "closed";
      var h = document.createElement("h2");
      h.textContent = topic.label;
      item.appendChild(h);
      li(item, "when", topic.when);
      li(item, "note", topic.note);
      var calling = li(item, "calling", topic.calling.length ? body.getAttribute("data-calling") + ": " : "");
      topic.calling.forEach(function (number, i) {
        var b = document.createElement("bdi");
        b.textContent = number;
        if (i) { calling.appendChild(document.createTextNode(", ")); }
        calling.appendChild(b);
      });
      li(item, "waiting", topic.open || topic.calling.length ? topic.waiting : "");
      li(item, "wait", topic.wait);
      items.appendChild(item);
    });
    list.replaceChildren ? list.replaceChildren(items) : (list.innerHTML = "", list.appendChild(items));
  }

  var ticketUrl = body.getAttribute("data-poll");
  if (ticketUrl) { poll(ticketUrl, applyTicket, POLL_MS); }
  var overviewUrl = body.getAttribute("data-overview");
  if (overviewUrl) { poll(overviewUrl, applyOverview, OVERVIEW_MS); }
})();
