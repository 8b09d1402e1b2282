/* Résidacœur portal: small helps on top of pages that already work without them.
 *
 * ES5 only, no modules: TV browsers of the Chrome 38 era run this file too.
 * Every text shown here comes from the page (data-* attributes written by the server
 * in the person's language), so this file holds no words of its own.
 */
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var XLINK = 'http://www.w3.org/1999/xlink';

  function each(list, action) {
    Array.prototype.forEach.call(list, action);
  }

  /* Replace {name} holders in a server-translated sentence. */
  function fill(sentence, values) {
    return sentence.replace(/\{(\w+)\}/g, function (holder, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : holder;
    });
  }

  /* Sizes in megabytes with one decimal; a small photo shows 0.1 rather than 0. */
  function megabytes(bytes) {
    return String(Math.max(1, Math.round(bytes / 104857.6)) / 10);
  }

  /* An icon from the same sprite the server uses, decorative like the others. */
  function icon(name) {
    var sample = document.querySelector('use');
    var sprite = sample ? sample.getAttributeNS(XLINK, 'href') || sample.getAttribute('href') : '';
    var svg = document.createElementNS(SVG, 'svg');
    var use = document.createElementNS(SVG, 'use');
    svg.setAttribute('class', 'icon');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    use.setAttributeNS(XLINK, 'xlink:href', sprite.split('#')[0] + '#i-' + name);
    svg.appendChild(use);
    return svg;
  }

  function addToken(element, attribute, token) {
    var tokens = (element.getAttribute(attribute) || '').split(/\s+/);
    if (tokens.indexOf(token) === -1) {
      tokens.push(token);
      element.setAttribute(attribute, tokens.join(' ').replace(/^\s+/, ''));
    }
  }

  function removeToken(element, attribute, token) {
    var tokens = (element.getAttribute(attribute) || '').split(/\s+/).filter(function (t) {
      return t && t !== token;
    });
    if (tokens.length) {
      element.setAttribute(attribute, tokens.join(' '));
    } else {
      element.removeAttribute(attribute);
    }
  }

  /* Photos of a report: show what was chosen, and say before sending when there are too
     many or one is too big, so nobody waits for a long upload that would be refused. */
  function watchPhotos(input) {
    var maxFiles = parseInt(input.getAttribute('data-max-files'), 10);
    var maxBytes = parseInt(input.getAttribute('data-max-bytes'), 10);
    var warning = document.createElement('div');
    var chosen = document.createElement('p');
    var previews = document.createElement('ul');
    var serverError = input.getAttribute('aria-invalid') === 'true';

    warning.id = input.id + '-check';
    warning.setAttribute('aria-live', 'polite');
    chosen.className = 'hint';
    chosen.id = input.id + '-chosen';
    previews.className = 'photo-previews';
    previews.setAttribute('aria-labelledby', chosen.id);
    input.parentNode.insertBefore(warning, input.nextSibling);
    input.parentNode.insertBefore(chosen, warning.nextSibling);
    input.parentNode.insertBefore(previews, chosen.nextSibling);

    function problems() {
      var found = [];
      var files = input.files || [];
      if (!isNaN(maxFiles) && files.length > maxFiles) {
        found.push(fill(input.getAttribute('data-too-many'), { max: Math.max(maxFiles, 0) }));
      }
      each(files, function (file) {
        if (!isNaN(maxBytes) && file.size > maxBytes) {
          found.push(fill(input.getAttribute('data-too-big'), {
            name: file.name,
            size: megabytes(file.size),
            limit: megabytes(maxBytes)
          }));
        }
      });
      return found;
    }

    function showWarning(messages) {
      var box, text;
      warning.innerHTML = '';
      if (!messages.length) {
        removeToken(input, 'aria-describedby', warning.id);
        if (!serverError) {
          input.removeAttribute('aria-invalid');
        }
        return;
      }
      box = document.createElement('div');
      text = document.createElement('div');
      box.className = 'notice notice--warning';
      box.appendChild(icon('alert'));
      messages.forEach(function (message) {
        var line = document.createElement('p');
        line.appendChild(document.createTextNode(message));
        text.appendChild(line);
      });
      box.appendChild(text);
      warning.appendChild(box);
      addToken(input, 'aria-describedby', warning.id);
      input.setAttribute('aria-invalid', 'true');
    }

    function preview(file) {
      var item = document.createElement('li');
      var caption = document.createElement('span');
      var reader;
      caption.appendChild(document.createTextNode(file.name + ' (' + megabytes(file.size) + ' MB)'));
      if (file.size > maxBytes) {
        caption.className = 'is-too-big';
      }
      // Pictures are read as data: URLs because the page's security policy refuses blob: ones.
      if (/^image\//.test(file.type) && window.FileReader && file.size <= maxBytes) {
        reader = new FileReader();
        reader.onload = function () {
          var picture = document.createElement('img');
          picture.alt = '';
          picture.src = reader.result;
          item.insertBefore(picture, caption);
        };
        reader.readAsDataURL(file);
      }
      item.appendChild(caption);
      previews.appendChild(item);
    }

    function update() {
      var files = input.files || [];
      previews.innerHTML = '';
      chosen.innerHTML = '';
      if (files.length) {
        chosen.appendChild(document.createTextNode(input.getAttribute('data-chosen') + ' ' + files.length));
        each(files, preview);
      }
      showWarning(problems());
    }

    input.addEventListener('change', update);
    input.form.addEventListener('submit', function (event) {
      var found = problems();
      if (found.length) {
        event.preventDefault();
        showWarning(found);
        input.focus();
      }
    });
  }

  /* A form sent twice by an impatient double tap would file the same thing twice. */
  function sendOnce(form) {
    var button = form.querySelector('[type=submit]');
    var label = button ? button.querySelector('span') : null;
    var original = label ? label.textContent : '';
    var timer = null;

    function reset() {
      form.removeAttribute('data-sending-now');
      if (button) {
        button.removeAttribute('aria-disabled');
      }
      if (label) {
        label.textContent = original;
      }
    }

    form.addEventListener('submit', function (event) {
      if (event.defaultPrevented) {
        return;
      }
      if (form.getAttribute('data-sending-now')) {
        event.preventDefault();
        return;
      }
      form.setAttribute('data-sending-now', 'true');
      if (button) {
        button.setAttribute('aria-disabled', 'true');
        if (label && button.getAttribute('data-sending')) {
          label.textContent = button.getAttribute('data-sending');
        }
      }
      // If the network stalls, the person may try again after a while.
      clearTimeout(timer);
      timer = setTimeout(reset, 20000);
    });
    // Coming back with the browser's Back button shows the page as it was left.
    window.addEventListener('pageshow', reset);
  }

  /* The field or the group of choices an element belongs to. */
  function fieldOf(element) {
    var found = element;
    while (found && found !== document.body) {
      if (found.tagName === 'FIELDSET' || /(^|\s)field(\s|$)/.test(found.className)) {
        return found;
      }
      found = found.parentNode;
    }
    return null;
  }

  /* A link of the error summary takes the person into the field itself, ready to type
     or choose; without this script it lands on the field's message, just above it. */
  function summaryLink(link) {
    link.addEventListener('click', function (event) {
      var message = document.getElementById(link.getAttribute('href').slice(1));
      var field = message && fieldOf(message);
      var control = field && (field.querySelector('input:checked') ||
        field.querySelector('input:not([type=hidden]), select, textarea'));
      if (!control) {
        return;
      }
      event.preventDefault();
      field.scrollIntoView(true);
      control.focus();
    });
  }

  /* A letter's QR code opens the sign-in page with the code after '#', which browsers
     never send to the box. It goes into the code field, then out of the address bar and
     the history, so the code is not left where others may see it. A letter scanned while
     the sign-in page is already open changes only the '#' part: no new page loads, so the
     change is watched too. Without this script the person types the code on the letter. */
  function codeFromLetter() {
    var found = /^#code=([A-Za-z0-9-]{1,40})$/.exec(window.location.hash);
    var field = document.querySelector('input[name="code"]');
    if (!found) {
      return;
    }
    if (field) {
      field.value = found[1];
    }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(window.history.state, '',
        window.location.pathname + window.location.search);
    } else {
      window.location.hash = '';
    }
  }

  /* A long task's progress bar (the letters of a large list) follows the task: the page
     is asked for again every two seconds and its bar copied here; once the task is done,
     the page is shown anew with what comes next. Without this script, a link does it. */
  function followProgress(area) {
    function ask() {
      var request = new XMLHttpRequest();
      request.open('GET', window.location.href);
      request.onload = function () {
        var fresh = document.implementation.createHTMLDocument('');
        var next;
        if (request.status !== 200) {
          return;
        }
        fresh.documentElement.innerHTML = request.responseText;
        next = fresh.querySelector('[data-follow-progress]');
        if (!next) {
          window.location.reload();
          return;
        }
        area.innerHTML = next.innerHTML;
        window.setTimeout(ask, 2000);
      };
      request.send();
    }
    window.setTimeout(ask, 2000);
  }

  /* A neighbour's video call: ask every few seconds whether one rings for me, and say
     so at the top of the page with a link to answer it. */
  function listenForCalls(banner) {
    var shown = '';
    function ask() {
      var request = new XMLHttpRequest();
      request.open('GET', banner.getAttribute('data-url'));
      request.onload = function () {
        var ringing = request.status === 200 ? JSON.parse(request.responseText) : [];
        var url = ringing.length ? ringing[0].url : '';
        if (url !== shown) {
          shown = url;
          banner.innerHTML = '';
          if (url) {
            var text = document.createElement('p');
            text.textContent = fill(banner.getAttribute('data-calling'), {
              name: ringing[0].caller
            });
            var link = document.createElement('a');
            link.className = 'button button--primary';
            link.href = url;
            link.textContent = banner.getAttribute('data-answer');
            banner.appendChild(text);
            banner.appendChild(link);
          }
          banner.hidden = !url;
        }
        window.setTimeout(ask, 4000);
      };
      request.onerror = function () { window.setTimeout(ask, 10000); };
      request.send();
    }
    // Not with the page itself: the page already says what rang before it was asked for.
    window.setTimeout(ask, 4000);
  }

  function start() {
    var banner = document.getElementById('ringing');
    if (banner) { listenForCalls(banner); }
    codeFromLetter();
    window.addEventListener('hashchange', codeFromLetter);
    each(document.querySelectorAll('[data-follow-progress]'), followProgress);
    each(document.querySelectorAll('input[type=file][data-max-files]'), watchPhotos);
    each(document.querySelectorAll('form[data-send-once]'), sendOnce);
    each(document.querySelectorAll('.error-summary a[href^="#"]'), summaryLink);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
