/* A video room: the person's camera and microphone to the box, the others' back.
   ES5 only (TVs' old engines load it too). The box makes the offer with a fixed number
   of places; this page answers, sending its camera and microphone on the first two
   streams, and shows each place the box says someone sits in. When the connection to
   the box is lost, the page comes back in on its own with a new ticket. */
(function () {
  'use strict';
  var root = document.getElementById('call');
  if (!root) { return; }
  var words = JSON.parse(document.getElementById('call-words').textContent);
  var statusLine = document.getElementById('call-status');
  var advice = document.getElementById('call-advice');
  var list = document.getElementById('call-people');
  var me = document.getElementById('call-me');
  var cameraButton = document.getElementById('call-camera');
  var microphoneButton = document.getElementById('call-microphone');
  var soundButton = document.getElementById('call-sound');
  var ticket = root.getAttribute('data-ticket');
  var watchOnly = root.getAttribute('data-watch') === 'true';
  var local = null;
  var connection = null;
  var socket = null;
  var places = [];
  var tries = 0;
  var leaving = false;
  var inside = false;
  var pair = null;
  // A direct connection between two alone that does not come up within this is given up.
  var PAIR_MS = 8000;
  var stopped = false;

  function say(text) { statusLine.textContent = text; }

  function advise(text) {
    advice.textContent = text;
    advice.hidden = false;
  }

  if (!window.RTCPeerConnection || !window.WebSocket || !window.Promise) {
    say(words.no_video);
    return;
  }

  function track(kind) {
    if (!local) { return null; }
    var tracks = kind === 'audio' ? local.getAudioTracks() : local.getVideoTracks();
    return tracks.length ? tracks[0] : null;
  }

  function sending(kind) {
    var found = track(kind);
    return !!(found && found.enabled);
  }

  function label(button, on, onWord, offWord) {
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.lastChild.textContent = on ? onWord : offWord;
  }

  function tellDevices() {
    label(cameraButton, sending('video'), words.camera_on, words.camera_off);
    label(microphoneButton, sending('audio'), words.microphone_on, words.microphone_off);
    if (socket && socket.readyState === 1 && inside) {
      socket.send(JSON.stringify({
        type: 'devices', camera: sending('video'), microphone: sending('audio')
      }));
    }
  }

  function toggle(kind) {
    var found = track(kind);
    if (found) {
      found.enabled = !found.enabled;
      tellDevices();
    }
  }

  function askForDevices(video) {
    if (watchOnly) {
      return Promise.resolve(null);
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      if (window.isSecureContext === false) { advise(words.not_secure); }
      return Promise.resolve(null);
    }
    return navigator.mediaDevices.getUserMedia({
      audio: true,
      video: {
        width: { max: video.width }, height: { max: video.height }, frameRate: { max: 24 }
      }
    }).then(null, function () {
      advise(words.camera_refused);
      return null;
    });
  }

  function playEverywhere() {
    var videos = list.getElementsByTagName('video');
    var refused = false;
    var waiting = [];
    for (var i = 0; i < videos.length; i += 1) {
      if (videos[i] !== me.firstElementChild && videos[i].play) {
        var playing = videos[i].play();
        if (playing && playing.then) {
          waiting.push(playing.then(null, function () { refused = true; }));
        }
      }
    }
    Promise.all(waiting).then(function () { soundButton.hidden = !refused; });
  }

  function placeElement(number) {
    var item = document.createElement('li');
    item.className = 'call__person';
    item.setAttribute('data-place', String(number));
    item.hidden = true;
    var video = document.createElement('video');
    video.setAttribute('playsinline', '');
    video.setAttribute('autoplay', '');
    video.setAttribute('aria-hidden', 'true');
    var name = document.createElement('p');
    name.className = 'call__name';
    var state = document.createElement('p');
    state.className = 'call__state';
    item.appendChild(video);
    item.appendChild(name);
    item.appendChild(state);
    list.appendChild(item);
    return { item: item, video: video, name: name, state: state, number: number };
  }

  function showPeople(people) {
    var present = {};
    var i;
    for (i = 0; i < people.length; i += 1) {
      var person = people[i];
      var place = places[person.place];
      if (!place) { continue; }
      present[person.place] = true;
      place.item.hidden = false;
      place.name.textContent = person.name;
      var notes = [];
      if (!person.joined) {
        notes.push(words.joining);
      } else if (!person.camera && !person.microphone) {
        notes.push(words.only_watching);
      } else {
        if (!person.camera) { notes.push(words.no_camera); }
        if (!person.microphone) { notes.push(words.no_microphone); }
      }
      place.state.textContent = notes.join(' · ');
      place.item.className = 'call__person' + (person.camera ? '' : ' call__person--no-camera');
    }
    for (i = 0; i < places.length; i += 1) {
      if (!present[i]) { places[i].item.hidden = true; }
    }
    if (!local) {
      say(words.watching);
    } else {
      say(people.length ? words.together : words.alone);
    }
    playEverywhere();
  }

  function waitForCandidates() {
    return new Promise(function (resolve) {
      if (connection.iceGatheringState === 'complete') { resolve(); return; }
      var timer = setTimeout(resolve, 3000);
      connection.addEventListener('icegatheringstatechange', function () {
        if (connection.iceGatheringState === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  function answer(offer) {
    closeConnection();
    connection = new RTCPeerConnection({ iceServers: [] });
    root.connection = connection;
    return connection.setRemoteDescription({ type: 'offer', sdp: offer.sdp }).then(function () {
      var transceivers = connection.getTransceivers();
      var kinds = ['audio', 'video'];
      for (var k = 0; k < 2; k += 1) {
        var mine = track(kinds[k]);
        if (mine) {
          transceivers[k].direction = 'sendonly';
          transceivers[k].sender.replaceTrack(mine);
        } else {
          transceivers[k].direction = 'inactive';
        }
      }
      list.innerHTML = '';
      list.appendChild(me);
      places = [];
      for (var p = 0; p < offer.places; p += 1) {
        var place = placeElement(p);
        var stream = new MediaStream();
        stream.addTrack(transceivers[2 + 2 * p].receiver.track);
        stream.addTrack(transceivers[3 + 2 * p].receiver.track);
        place.video.srcObject = stream;
        place.stream = stream;
        places.push(place);
      }
      return connection.createAnswer();
    }).then(function (description) {
      return connection.setLocalDescription(description);
    }).then(function () {
      var video = connection.getTransceivers()[1].sender;
      if (video.track && video.getParameters) {
        var parameters = video.getParameters();
        if (parameters.encodings && parameters.encodings.length) {
          parameters.encodings[0].maxBitrate = offer.video.bitrate;
          video.setParameters(parameters).then(null, function () {});
        }
      }
      return waitForCandidates();
    }).then(function () {
      socket.send(JSON.stringify({
        type: 'answer',
        sdp: connection.localDescription.sdp,
        camera: sending('video'),
        microphone: sending('audio')
      }));
    });
  }


  /* Two people alone in the room talk directly, browser to browser; the box passes their
     words on and forwards nothing. Until the direct connection is up, and as soon as it
     ends, media goes through the box as for three or more. */
  function sendSignal(number, data) {
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify({ type: 'signal', pair: number, data: data }));
    }
  }

  function boxSenders(on) {
    if (!connection) { return; }
    var transceivers = connection.getTransceivers();
    var kinds = ['audio', 'video'];
    for (var k = 0; k < 2; k += 1) {
      if (track(kinds[k])) {
        transceivers[k].sender.replaceTrack(on ? track(kinds[k]) : null);
      }
    }
  }

  function usePair() {
    pair.up = true;
    boxSenders(false);
    var place = places[pair.place];
    if (place) { place.video.srcObject = pair.stream; }
    playEverywhere();
  }

  function endPair() {
    if (!pair) { return; }
    var ended = pair;
    pair = null;
    root.pair = null;
    clearTimeout(ended.timer);
    ended.connection.close();
    if (ended.up) {
      boxSenders(true);
      var place = places[ended.place];
      if (place) { place.video.srcObject = place.stream; }
      playEverywhere();
    }
  }

  function startPair(message) {
    endPair();
    var direct = new RTCPeerConnection({ iceServers: [] });
    var current = {
      number: message.pair, connection: direct, place: message.place, up: false,
      stream: new MediaStream(), pending: [], described: false
    };
    pair = current;
    root.pair = direct;
    root.pairPlace = message.place;
    if (local) {
      local.getTracks().forEach(function (each) { direct.addTrack(each, local); });
    } else {
      direct.addTransceiver('audio', { direction: 'recvonly' });
      direct.addTransceiver('video', { direction: 'recvonly' });
    }
    direct.ontrack = function (event) { current.stream.addTrack(event.track); };
    direct.onicecandidate = function (event) {
      if (event.candidate) {
        sendSignal(current.number, { candidate: event.candidate.toJSON() });
      }
    };
    direct.onconnectionstatechange = function () {
      if (pair !== current) { return; }
      if (direct.connectionState === 'connected' && !current.up) {
        usePair();
      } else if (direct.connectionState === 'failed') {
        endPair();
      }
    };
    current.timer = setTimeout(function () {
      if (pair === current && !current.up) { endPair(); }
    }, PAIR_MS);
    if (message.offerer) {
      direct.createOffer().then(function (description) {
        return direct.setLocalDescription(description);
      }).then(function () {
        sendSignal(current.number, {
          description: { type: 'offer', sdp: direct.localDescription.sdp }
        });
      }).then(null, endPair);
    }
  }

  function described(current) {
    current.described = true;
    var waiting = current.pending;
    current.pending = [];
    for (var i = 0; i < waiting.length; i += 1) {
      current.connection.addIceCandidate(waiting[i]).then(null, function () {});
    }
  }

  function onSignal(message) {
    if (!pair || message.pair !== pair.number || !message.data) { return; }
    var current = pair;
    var direct = current.connection;
    var data = message.data;
    if (data.description) {
      direct.setRemoteDescription(data.description).then(function () {
        described(current);
        if (data.description.type !== 'offer') { return null; }
        return direct.createAnswer().then(function (description) {
          return direct.setLocalDescription(description);
        }).then(function () {
          sendSignal(current.number, {
            description: { type: 'answer', sdp: direct.localDescription.sdp }
          });
        });
      }).then(null, endPair);
    } else if (data.candidate) {
      if (current.described) {
        direct.addIceCandidate(data.candidate).then(null, function () {});
      } else {
        current.pending.push(data.candidate);
      }
    }
  }

  function closeConnection() {
    endPair();
    if (connection) {
      connection.close();
      connection = null;
    }
  }

  function newTicket() {
    var request = new XMLHttpRequest();
    return new Promise(function (resolve, reject) {
      request.open('POST', root.getAttribute('data-ticket-url'));
      request.setRequestHeader('X-CSRFToken', root.getAttribute('data-csrf'));
      request.onload = function () {
        if (request.status === 200) {
          resolve(JSON.parse(request.responseText).ticket);
        } else {
          reject(request.status);
        }
      };
      request.onerror = function () { reject(0); };
      request.send();
    });
  }

  function comeBack() {
    if (leaving || stopped) { return; }
    closeConnection();
    say(words.coming_back);
    tries += 1;
    setTimeout(function () {
      newTicket().then(function (fresh) {
        ticket = fresh;
        enter();
      }, function (status) {
        // Refused for good (no longer allowed in, the room gone, its event over).
        if (status === 403 || status === 404 || status === 422) {
          stopped = true;
          say(words.refused);
        } else {
          comeBack();
        }
      });
    }, Math.min(tries, 3) * 1000);
  }

  function enter() {
    inside = false;
    socket = new WebSocket(root.getAttribute('data-live'));
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: 'join', ticket: ticket }));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === 'offer') {
        answer(message).then(null, function () { socket.close(); });
      } else if (message.type === 'pair') {
        startPair(message);
      } else if (message.type === 'signal') {
        onSignal(message);
      } else if (message.type === 'unpair') {
        endPair();
      } else if (message.type === 'people') {
        tries = 0;
        inside = true;
        showPeople(message.people);
      } else if (message.type === 'elsewhere' || message.type === 'removed' ||
                 message.type === 'closed' || message.type === 'declined' ||
                 message.type === 'ended') {
        stopped = true;
        closeConnection();
        say(words[message.type]);
      } else if (message.type === 'refused') {
        if (message.reason === 'expired') { return; }
        stopped = true;
        say(words[message.reason] || words.refused);
      }
    };
    socket.onclose = comeBack;
  }

  // A TV's remote: left and right go from one control to the next (mirrored in
  // Arabic), Back leaves the room as the "Leave the room" link does. Back is 461 on
  // webOS and HbbTV, 10009 on Tizen; Android TV's goes back in the history itself.
  var BACK_KEYS = [461, 10009];
  var controls = root.querySelector('.call__controls');

  function shownControls() {
    var shown = [];
    var all = controls.querySelectorAll('button, a');
    for (var i = 0; i < all.length; i += 1) {
      if (!all[i].hidden) { shown.push(all[i]); }
    }
    return shown;
  }

  document.addEventListener('keydown', function (event) {
    var code = event.keyCode;
    if (BACK_KEYS.indexOf(code) !== -1 || event.key === 'GoBack') {
      event.preventDefault();
      window.location.href = controls.querySelector('a').href;
      return;
    }
    if ((code !== 37 && code !== 39) || !controls.contains(document.activeElement)) { return; }
    var shown = shownControls();
    var forward = (code === 39) !== (document.documentElement.dir === 'rtl');
    var next = shown.indexOf(document.activeElement) + (forward ? 1 : -1);
    if (next >= 0 && next < shown.length) {
      event.preventDefault();
      shown[next].focus();
    }
  });

  cameraButton.addEventListener('click', function () { toggle('video'); });
  microphoneButton.addEventListener('click', function () { toggle('audio'); });
  soundButton.addEventListener('click', playEverywhere);
  window.addEventListener('pagehide', function () { leaving = true; });
  say(words.connecting);
  askForDevices({
    width: Number(root.getAttribute('data-video-width')),
    height: Number(root.getAttribute('data-video-height'))
  }).then(function (stream) {
    local = stream;
    if (local) {
      me.firstElementChild.srcObject = local;
      cameraButton.hidden = !track('video');
      microphoneButton.hidden = !track('audio');
      tellDevices();
    } else {
      me.hidden = true;
    }
    // In reach of a remote's arrows and OK at once; a keyboard's Tab starts here too.
    shownControls()[0].focus();
    enter();
  });
}());
