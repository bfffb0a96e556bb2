// Steadfast dashboard: live refresh of the page (pausable, remembered) and relative times.
// Loaded from the jar: the Content-Security-Policy runs no inline script.
(function () {
  'use strict';
  var KEY = 'steadfast.live';
  var EVERY_MS = 5000;

  function paused() {
    try { return window.localStorage.getItem(KEY) === 'off'; } catch (e) { return false; }
  }

  function relative(el) {
    var at = Date.parse(el.getAttribute('datetime'));
    if (isNaN(at)) { return; }
    var seconds = Math.round((at - Date.now()) / 1000);
    var size = Math.abs(seconds);
    var text;
    if (size < 45) {
      text = seconds <= 0 ? 'just now' : 'in a moment';
    } else {
      var units = [[86400, 'd'], [3600, 'h'], [60, 'min']];
      var unit = units.find(function (u) { return size >= u[0]; }) || units[2];
      var n = Math.round(size / unit[0]);
      text = seconds < 0 ? n + ' ' + unit[1] + ' ago' : 'in ' + n + ' ' + unit[1];
    }
    if (!el.title) { el.title = el.textContent; }
    el.textContent = text;
  }

  function relativeTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(relative);
  }

  // the page is left alone while the operator selects rows or types
  function busy() {
    var active = document.activeElement;
    if (active && /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(active.tagName) && active.id !== 'live') { return true; }
    return document.querySelector('main input[type=checkbox]:checked') !== null;
  }

  function refresh() {
    var main = document.querySelector('main[data-live]');
    if (!main || paused() || document.hidden || busy()) { return; }
    fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (r) {
        var type = r.headers.get('Content-Type') || '';
        return r.ok && type.indexOf('text/html') === 0 ? r.text() : null;
      })
      .then(function (html) {
        if (!html || busy()) { return; }
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('main[data-live]');
        if (fresh) {
          relativeTimes(fresh);
          main.replaceWith(fresh);
        }
      })
      .catch(function () { /* the next tick tries again; the page keeps what it shows */ });
  }

  function showToggle(button) {
    var off = paused();
    button.textContent = off ? 'Live: paused' : 'Live: on';
    button.setAttribute('aria-pressed', off ? 'false' : 'true');
  }

  document.addEventListener('DOMContentLoaded', function () {
    relativeTimes(document);
    var button = document.getElementById('live');
    if (button) {
      showToggle(button);
      button.addEventListener('click', function () {
        try { window.localStorage.setItem(KEY, paused() ? 'on' : 'off'); } catch (e) { /* private mode */ }
        showToggle(button);
      });
    }
    window.setInterval(refresh, EVERY_MS);
  });
})();
