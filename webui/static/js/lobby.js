/* The lobby screen: turns the slides, keeps the clock, and fetches the page again every
   few minutes for new content, keeping what it shows while the box does not answer (a
   restart, the network). ES5 only: TVs' and screens' old engines run it. */
(function () {
  'use strict';
  var lobby = document.getElementById('lobby');
  if (!lobby) { return; }
  var slideMs = Number(lobby.getAttribute('data-slide-seconds')) * 1000;
  var refreshMs = Number(lobby.getAttribute('data-refresh-seconds')) * 1000;
  // The box's clock, not the screen's, which may never have been set.
  var offset = Number(lobby.getAttribute('data-now')) * 1000 - Date.now();
  var clock = document.getElementById('lobby-clock');
  var container = document.getElementById('lobby-slides');
  var current = 0;

  function slides() { return container.children; }

  // A slide someone listens to stays, and is not replaced, until its reading ends or is
  // stopped.
  function listening() {
    var sounds = container.getElementsByTagName('audio');
    for (var i = 0; i < sounds.length; i += 1) {
      if (!sounds[i].paused) { return true; }
    }
    return false;
  }

  function show(index) {
    var all = slides();
    for (var i = 0; i < all.length; i += 1) {
      if (i === index) { all[i].removeAttribute('hidden'); } else { all[i].setAttribute('hidden', ''); }
    }
    current = index;
  }

  function pad(number) { return number < 10 ? '0' + number : String(number); }

  function tick() {
    // The building's time: the box's clock, in the box's time zone.
    var zoneMs = Number(lobby.getAttribute('data-zone-minutes')) * 60000;
    var now = new Date(Date.now() + offset + zoneMs);
    var hours = now.getUTCHours();
    var minutes = pad(now.getUTCMinutes());
    var periods = clock.getAttribute('data-periods');
    clock.textContent = periods
      ? ((hours + 11) % 12 + 1) + ':' + minutes + ' ' + periods.split('|')[hours < 12 ? 0 : 1]
      : pad(hours) + ':' + minutes;
  }

  function refresh() {
    if (listening()) { return; }
    var request = new XMLHttpRequest();
    request.open('GET', window.location.pathname, true);
    request.timeout = 20000;
    request.onload = function () {
      if (request.status !== 200) { return; }
      var page = document.createElement('div');
      page.innerHTML = request.responseText;
      var fresh = page.querySelector('#lobby-slides');
      var freshLobby = page.querySelector('#lobby');
      if (!fresh || !freshLobby) { return; }
      container.innerHTML = fresh.innerHTML;
      offset = Number(freshLobby.getAttribute('data-now')) * 1000 - Date.now();
      lobby.setAttribute('data-zone-minutes', freshLobby.getAttribute('data-zone-minutes'));
      // The copy read from is let go at once: a screen runs for months.
      page.innerHTML = '';
      show(current % slides().length);
    };
    request.send();
  }

  // From the slide the page came with: the one after the last a page without
  // JavaScript showed, or the first.
  var all = slides();
  for (var i = 0; i < all.length; i += 1) {
    if (!all[i].hasAttribute('hidden')) { current = i; }
  }
  setInterval(function () {
    if (!listening()) { show((current + 1) % slides().length); }
  }, slideMs);
  setInterval(tick, 15000);
  setInterval(refresh, refreshMs);
}());
