/* The TV mode's remote (webui/tv/mode.py): the arrows move the focus to the nearest
   control, or block of text, in their direction; OK presses it; Back goes back.
   Written for old TV engines (Chromium 38, old WebKit): ES5, no closest(), no
   scrollIntoView options.

   Key codes: arrows 37-40 and OK 13 on every remote; Back is 461 on webOS and HbbTV,
   10009 on Tizen, and Escape (27) or Backspace (8) on Android TV's browsers and on a
   keyboard. */
(function () {
  'use strict';

  var ARROWS = { 37: 'left', 38: 'up', 39: 'right', 40: 'down' };
  var BACK_CODES = { 8: true, 27: true, 461: true, 10009: true };
  var BACK_NAMES = { GoBack: true, BrowserBack: true };
  var OK = 13;
  var CONTROLS = 'a[href], button, input, select, textarea, summary, [tabindex]';
  var BLOCKS = 'p, li, dd, blockquote, td';
  var TYPING = /^(text|search|email|tel|url|number|password)$/;
  var root = document.documentElement;

  function matches(element, selector) {
    var test = element.matches || element.webkitMatchesSelector || element.msMatchesSelector;
    return test.call(element, selector);
  }

  function insideAControl(element) {
    for (var node = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
      if (matches(node, 'a, button, label, summary')) { return true; }
    }
    return false;
  }

  // Blocks of text become stops too, so the arrows read down a page of text rather than
  // scroll blindly past it; only the innermost blocks, and none that holds a control.
  function markBlocks() {
    var main = document.getElementById('content');
    var blocks = main ? main.querySelectorAll(BLOCKS) : [];
    for (var i = 0; i < blocks.length; i += 1) {
      var block = blocks[i];
      if (block.hasAttribute('tabindex') || block.querySelector(BLOCKS) ||
          block.querySelector(CONTROLS) || insideAControl(block) ||
          !/\S/.test(block.textContent)) {
        continue;
      }
      block.setAttribute('tabindex', '-1');
      block.setAttribute('data-tv-stop', '');
    }
  }

  // What a closed <details> holds keeps a box in new engines, but cannot take the focus.
  function inClosedDetails(element) {
    var inside = element;
    for (var node = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
      if (node.nodeName === 'DETAILS' && !node.open && inside.nodeName !== 'SUMMARY') {
        return true;
      }
      inside = node;
    }
    return false;
  }

  function shown(element) {
    if (element.disabled || element.type === 'hidden' || inClosedDetails(element)) {
      return false;
    }
    if (element.getAttribute('tabindex') === '-1' && !element.hasAttribute('data-tv-stop')) {
      return false;
    }
    var box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) { return false; }
    return window.getComputedStyle(element).visibility !== 'hidden';
  }

  function stops() {
    var all = document.querySelectorAll(CONTROLS);
    var found = [];
    for (var i = 0; i < all.length; i += 1) {
      if (shown(all[i])) { found.push(all[i]); }
    }
    return found;
  }

  function gap(startA, endA, startB, endB) {
    if (endB < startA) { return startA - endB; }
    if (startB > endA) { return startB - endA; }
    return 0;
  }

  // How far a stop is in a direction: the distance along it, and three times the
  // distance across it, so the next row or column wins over a far corner. null when
  // the stop is not that way at all.
  function distance(from, to, direction) {
    var fromX = (from.left + from.right) / 2;
    var fromY = (from.top + from.bottom) / 2;
    var toX = (to.left + to.right) / 2;
    var toY = (to.top + to.bottom) / 2;
    var along;
    var across;
    if (direction === 'down' || direction === 'up') {
      var down = direction === 'down';
      if (down ? (toY <= fromY + 1 || to.bottom <= from.bottom) :
                 (toY >= fromY - 1 || to.top >= from.top)) {
        return null;
      }
      along = Math.max(0, down ? to.top - from.bottom : from.top - to.bottom);
      across = gap(from.left, from.right, to.left, to.right);
    } else {
      var right = direction === 'right';
      if (right ? (toX <= fromX + 1 || to.right <= from.right) :
                  (toX >= fromX - 1 || to.left >= from.left)) {
        return null;
      }
      along = Math.max(0, right ? to.left - from.right : from.left - to.right);
      across = gap(from.top, from.bottom, to.top, to.bottom);
    }
    return along + 3 * across;
  }

  function nearest(current, direction) {
    var from = current.getBoundingClientRect();
    var all = stops();
    var best = null;
    var bestDistance = Infinity;
    for (var i = 0; i < all.length; i += 1) {
      if (all[i] === current || current.contains(all[i])) { continue; }
      var far = distance(from, all[i].getBoundingClientRect(), direction);
      if (far !== null && far < bestDistance) {
        best = all[i];
        bestDistance = far;
      }
    }
    return best;
  }

  // The focused stop in full view, with some of what surrounds it.
  function bringIntoView(element) {
    var box = element.getBoundingClientRect();
    var height = window.innerHeight;
    if (box.top < height * 0.15 || box.bottom - box.top > height * 0.7) {
      window.scrollBy(0, box.top - height * 0.2);
    } else if (box.bottom > height * 0.85) {
      window.scrollBy(0, box.bottom - height * 0.8);
    }
  }

  function focusOn(element) {
    element.focus();
    bringIntoView(element);
  }

  function firstStop() {
    var preferred = document.querySelector('[autofocus]');
    if (preferred && shown(preferred)) { return preferred; }
    var main = document.getElementById('content');
    var all = stops();
    for (var i = 0; i < all.length; i += 1) {
      if (main && main.contains(all[i])) { return all[i]; }
    }
    return all[0] || null;
  }

  function onAStop() {
    var active = document.activeElement;
    return active && active !== document.body && active !== root &&
      active.id !== 'content' && shown(active) ? active : null;
  }

  // The arrows that belong to a field while someone types or picks in it.
  function fieldKeepsArrow(field, direction) {
    var name = field.nodeName;
    if (name === 'INPUT' && TYPING.test(field.type)) {
      return direction === 'left' || direction === 'right';
    }
    if (name === 'TEXTAREA') {
      var atStart = field.selectionStart === 0;
      var atEnd = field.selectionEnd === field.value.length;
      return !(direction === 'up' && atStart) && !(direction === 'down' && atEnd);
    }
    return false;
  }

  // Left and right go through a list's choices (the other way round in Arabic), so
  // "how many people" changes without a menu the remote must open.
  function step(select, direction) {
    var forward = (direction === 'right') !== (root.dir === 'rtl');
    var index = select.selectedIndex + (forward ? 1 : -1);
    if (index < 0 || index >= select.options.length) { return; }
    select.selectedIndex = index;
    var changed = document.createEvent('HTMLEvents');
    changed.initEvent('change', true, false);
    select.dispatchEvent(changed);
  }

  function openDetails(element) {
    for (var node = element; node && node.nodeType === 1; node = node.parentNode) {
      if (node.nodeName === 'DETAILS' && node.open) { return node; }
    }
    return null;
  }

  function goBack() {
    var active = onAStop();
    var open = active && openDetails(active);
    if (open) {
      open.open = false;
      focusOn(open.querySelector('summary'));
      return true;
    }
    var home = document.querySelector('.tv-nav a');
    var homePath = home ? home.pathname : '/';
    if (window.location.pathname === homePath) { return false; }
    var sameSite = document.referrer.indexOf(window.location.protocol + '//' + window.location.host + '/') === 0;
    if (sameSite && window.history.length > 1) {
      window.history.back();
    } else {
      window.location.href = home ? home.href : '/';
    }
    return true;
  }

  function isBack(event) {
    if (BACK_NAMES[event.key]) { return true; }
    if (!BACK_CODES[event.keyCode]) { return false; }
    var active = document.activeElement;
    // Backspace deletes a letter in a field, as it should.
    return !(event.keyCode === 8 && active &&
      (active.nodeName === 'TEXTAREA' || (active.nodeName === 'INPUT' && TYPING.test(active.type))));
  }

  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (isBack(event)) {
      if (goBack()) { event.preventDefault(); }
      return;
    }
    var active = onAStop();
    if (event.keyCode === OK) {
      // A choice takes one press: OK ticks it, as a tap would.
      if (active && active.nodeName === 'INPUT' && /^(radio|checkbox)$/.test(active.type)) {
        event.preventDefault();
        active.click();
      }
      return;
    }
    var direction = ARROWS[event.keyCode];
    if (!direction || (active && fieldKeepsArrow(active, direction))) { return; }
    if (active && active.nodeName === 'SELECT' && (direction === 'left' || direction === 'right')) {
      event.preventDefault();
      step(active, direction);
      return;
    }
    event.preventDefault();
    var next = active ? nearest(active, direction) : firstStop();
    if (next) {
      focusOn(next);
    } else if (active) {
      // Nothing further that way: the focus stays, and stays in view.
      bringIntoView(active);
    }
  }

  // The pairing page asks whether a phone has let the TV in, and opens the portal then.
  function waitForThePhone() {
    var pairing = document.querySelector('[data-state-url]');
    if (!pairing) { return; }
    var url = pairing.getAttribute('data-state-url');
    var every = Number(pairing.getAttribute('data-ask-every')) * 1000;
    window.setInterval(function () {
      var request = new XMLHttpRequest();
      request.open('GET', url);
      request.onload = function () {
        if (request.status === 200 && JSON.parse(request.responseText).state !== 'waiting') {
          window.location.reload();
        }
      };
      request.send();
    }, every);
  }

  function inView(element) {
    var box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }

  // The page opens at its top, the focus on its first stop, in reach of the arrows.
  function start() {
    markBlocks();
    var first = onAStop() || firstStop();
    if (first) {
      first.focus();
      if (!inView(first)) { bringIntoView(first); }
    }
    waitForThePhone();
  }

  window.addEventListener('keydown', onKey);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
