/*! Rapport web widget. Embedding: docs/widget.md; protocol: docs/protocols/widget.md */
(function () {
  'use strict';
  var me = document.currentScript || document.querySelector('script[data-bot][src*="widget.js"]');
  var d = (me && me.dataset) || {}, bot = (d.bot || '').trim();
  if (!bot) return console.error('Rapport widget: the script tag needs data-bot="<bot name>"');
  var reg = window.RapportWidget = window.RapportWidget || {};
  if (reg[bot]) return; // loaded twice

  var server = (d.server || new URL(me.src, location.href).origin).replace(/\/+$/, '');
  var side = d.position === 'left' ? 'left' : 'right';
  var title = d.title || 'Chat with us';
  var delay = parseFloat(d.greetingDelay) || 0;
  var KEY = 'rapport:' + bot;

  // ---- colours: the accent and a text colour that reads on it (WCAG contrast)
  function parseColor(c) {
    var x = c && document.createElement('canvas').getContext('2d'), m;
    if (!x) return null;
    x.fillStyle = '#010203';
    x.fillStyle = c;
    if ((m = /^#(..)(..)(..)$/.exec(x.fillStyle))) return [1, 2, 3].map(function (i) { return parseInt(m[i], 16); });
    if ((m = /^rgba?\((\d+), (\d+), (\d+)/.exec(x.fillStyle))) return [+m[1], +m[2], +m[3]];
    return null;
  }
  function lum(c) {
    var v = c.map(function (x) { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  }
  function contrast(a, b) { var x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
  var INK = [17, 24, 39], WHITE = [255, 255, 255];
  var acc = parseColor(d.color) || [67, 56, 202];
  var ACC = 'rgb(' + acc + ')';
  var ON = contrast(acc, WHITE) >= contrast(acc, INK) ? '#fff' : '#111827';
  var RING = contrast(acc, WHITE) >= 3 ? ACC : '#111827';

  // ---- storage: conversation, token, seqs and unacknowledged messages (localStorage, per bot);
  // this visit's proactive/closed/open flags (sessionStorage)
  function store(n) { try { return window[n]; } catch (e) { return null; } }
  var ls = store('localStorage'), ss = store('sessionStorage');
  function load(s) { try { return JSON.parse(s.getItem(KEY)) || {}; } catch (e) { return {}; } }
  function save(s, v) { try { s.setItem(KEY, JSON.stringify(v)); } catch (e) { /* private mode */ } }
  var st = load(ls), vs = load(ss);
  st.outbox = st.outbox || [];
  function persist() { save(ls, st); }
  function persistVisit() { save(ss, vs); }

  var CSS =
    ':host{all:initial}*{box-sizing:border-box}' +
    '.w{font:14px/1.45 var(--rapport-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:#111827}' +
    '.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}' +
    'button{font:inherit;cursor:pointer}:focus-visible{outline:3px solid ' + RING + ';outline-offset:2px}' +
    '.l{position:fixed;bottom:20px;S:20px;width:56px;height:56px;border-radius:50%;border:0;background:' + ACC + ';color:' + ON +
    ';box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center}.l svg{width:26px;height:26px}' +
    '.badge{position:absolute;top:-3px;right:-3px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;line-height:20px}' +
    '.p{position:fixed;bottom:88px;S:20px;width:min(380px,calc(100vw - 24px));height:min(600px,calc(100vh - 108px));background:#fff;border-radius:14px;' +
    'box-shadow:0 12px 40px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;animation:rin .16s ease-out}.p[hidden]{display:none}' +
    '@keyframes rin{from{opacity:0;transform:translateY(8px)}}' +
    '.h{background:' + ACC + ';color:' + ON + ';padding:12px 10px 12px 16px;display:flex;align-items:center;gap:8px}' +
    '.h h2{margin:0;font-size:16px;font-weight:600}.h p{margin:0;font-size:12px}' +
    '.x{margin-left:auto;flex:none;width:36px;height:36px;border:0;border-radius:8px;background:transparent;color:inherit;display:grid;place-items:center}.x svg{width:20px;height:20px}' +
    '.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f9fafb}' +
    '.m{max-width:85%;display:flex;flex-direction:column;align-items:flex-start}.m.visitor{align-self:flex-end;align-items:flex-end}' +
    '.b{padding:8px 12px;border-radius:14px;background:#e5e7eb;white-space:pre-wrap;overflow-wrap:anywhere}.b a{color:inherit}' +
    '.visitor .b{background:' + ACC + ';color:' + ON + '}.human .b{background:#fff;border:2px solid ' + RING + '}' +
    '.n{font-size:12px;color:#374151;margin:0 4px 2px}.pending .b{opacity:.75}.failed .b{outline:2px solid #b91c1c}.err{font-size:12px;color:#b91c1c}' +
    '.m.system,.note{align-self:center;max-width:100%;font-size:12px;color:#374151;text-align:center}' +
    '.bs{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}.bs button{padding:6px 12px;border:1px solid ' + RING +
    ';border-radius:16px;background:#fff;color:#111827}.bs button:disabled{cursor:default;color:#4b5563;border-color:#d1d5db}' +
    '.bs button.on{background:' + ACC + ';color:' + ON + ';border-color:' + ACC + '}' +
    '.t{min-height:24px;padding:0 16px 4px;font-size:12px;color:#374151;background:#f9fafb}' +
    '.t i{display:inline-block;width:6px;height:6px;margin-right:3px;border-radius:50%;background:#4b5563;animation:rdot 1s infinite}' +
    '.t i+i{animation-delay:.2s}.t i+i+i{animation-delay:.4s}@keyframes rdot{0%,80%,100%{opacity:.25}40%{opacity:1}}' +
    '.f{display:flex;gap:8px;padding:10px;border-top:1px solid #e5e7eb;background:#fff}' +
    'textarea{flex:1;min-height:38px;max-height:120px;resize:none;padding:8px 10px;border:1px solid #6b7280;border-radius:8px;font:inherit;color:#111827;background:#fff}' +
    '.s{flex:none;padding:0 14px;border:0;border-radius:8px;background:' + ACC + ';color:' + ON + ';font-weight:600}' +
    '.tz{position:fixed;bottom:88px;S:20px;max-width:min(300px,calc(100vw - 40px));display:flex;align-items:flex-start;gap:4px}' +
    '.tz .o{padding:10px 12px;border:1px solid #d1d5db;border-radius:12px;background:#fff;color:#111827;text-align:left;box-shadow:0 4px 14px rgba(0,0,0,.18);' +
    'display:-webkit-box;-webkit-line-clamp:4;-webkit-box-orient:vertical;overflow:hidden}' +
    '.tz .x{width:28px;height:28px;background:#fff;color:#111827;border:1px solid #d1d5db;border-radius:50%}' +
    '@media (max-width:480px){.p{top:0;left:0;right:0;bottom:0;width:auto;height:auto;border-radius:0}}' +
    '@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}';
  // Icons built with DOM calls: no innerHTML anywhere (also fine under Trusted Types).
  function icon(path, line) {
    var ns = 'http://www.w3.org/2000/svg', s = document.createElementNS(ns, 'svg'), p = document.createElementNS(ns, 'path');
    attrs(s, { viewBox: '0 0 24 24', 'aria-hidden': 'true', fill: line ? 'none' : 'currentColor', stroke: line ? 'currentColor' : 'none', 'stroke-width': '2.5', 'stroke-linecap': 'round' });
    s.appendChild(attrs(p, { d: path }));
    return s;
  }
  function CHAT() { return icon('M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z'); }
  function CLOSE() { return icon('M6 6l12 12M18 6L6 18', 1); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function attrs(e, a) { for (var k in a) e.setAttribute(k, a[k]); return e; }
  // Message text as text nodes; explicit http(s) URLs become links (never HTML from a message).
  function fill(node, text) {
    var re = /\bhttps?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]]/g, i = 0, m, a;
    while ((m = re.exec(text))) {
      node.appendChild(document.createTextNode(text.slice(i, m.index)));
      a = attrs(el('a', '', m[0]), { href: m[0], target: '_blank', rel: 'noopener noreferrer nofollow' });
      node.appendChild(a);
      i = re.lastIndex;
    }
    node.appendChild(document.createTextNode(text.slice(i)));
  }
  function uid() {
    var c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID();
    var b = c.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }

  // ---- DOM
  var host = el('rapport-widget'), root = host.attachShadow({ mode: 'open' });
  host.style.cssText = 'all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important';
  var w = el('div', 'w');
  var launcher = attrs(el('button', 'l'), { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'rp' });
  var badge = attrs(el('span', 'badge'), { 'aria-hidden': 'true' });
  var teaser = attrs(el('div', 'tz'), { 'aria-live': 'polite' });
  var panel = attrs(el('div', 'p'), { id: 'rp', role: 'dialog', 'aria-label': title, 'aria-modal': 'false' });
  var head = el('div', 'h'), hText = el('div'), status = el('p');
  var xBtn = attrs(el('button', 'x'), { type: 'button', 'aria-label': 'Close chat' });
  var log = attrs(el('div', 'log'), { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' });
  var typingEl = attrs(el('div', 't'), { 'aria-hidden': 'true' });
  var form = el('form', 'f');
  var input = attrs(el('textarea'), { id: 'ri', rows: '1', placeholder: 'Write a message…', autocomplete: 'off' });
  var label = attrs(el('label', 'sr', 'Your message'), { for: 'ri' });
  var sendBtn = attrs(el('button', 's', 'Send'), { type: 'submit' });
  xBtn.appendChild(CLOSE());
  panel.hidden = true;
  hText.append(el('h2', '', title), status);
  head.append(hText, xBtn);
  form.append(label, input, sendBtn);
  panel.append(head, log, typingEl, form);
  w.append(teaser, panel, launcher);
  CSS = CSS.replace(/\bS:/g, side + ':');
  // A constructed stylesheet where supported (not blocked by a page's CSP), else a <style>.
  if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else root.appendChild(el('style', '', CSS));
  root.appendChild(w);

  // ---- state
  var ws = null, ready = false, dead = false, attempt = 0, rtimer, ptimer, otimer, seenTimer, typingTimer;
  var isOpen = false, owner = null, maxSeq = 0, bySeq = {}, local = {}, queue = [], queued = {}, pacing = false;
  var serverTyping = null, typingOn = false, unread = 0, pageViewSent = false, wantProactive = false, connected = false;

  function send(o) {
    if (!ready) return false;
    ws.send(JSON.stringify(o));
    return true;
  }

  // ---- connection
  function connect() {
    if (ws || dead) return;
    clearTimeout(rtimer);
    var s;
    try { s = ws = new WebSocket(server.replace(/^http/, 'ws') + '/widget/ws'); } catch (e) { ws = null; return retry(); }
    s.onopen = function () {
      s.send(JSON.stringify({
        type: 'hello', bot: bot, conversation: st.conversation || null, token: st.token || null, last_seq: maxSeq,
        locale: navigator.language || '',
        page: { url: location.href.split('#')[0].slice(0, 2000), title: document.title.slice(0, 500), referrer: document.referrer.slice(0, 2000) }
      }));
    };
    s.onmessage = function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (x) { return; }
      if (s === ws && m && typeof m === 'object') onFrame(m);
    };
    s.onclose = function () {
      if (s !== ws) return;
      ws = null;
      ready = false;
      serverTyping = null;
      showTyping();
      showStatus();
      retry();
    };
  }
  // Exponential backoff with jitter: ~1 s, 2 s, 4 s ... at most 30 s (also after 1001 "service restart").
  function retry() {
    if (dead) return;
    var base = Math.min(30000, 1000 * Math.pow(2, attempt++));
    rtimer = setTimeout(connect, base / 2 + Math.random() * base / 2);
  }
  function reconnectNow() {
    if (connected && !ws && !dead) { attempt = 0; connect(); }
  }
  addEventListener('online', reconnectNow);

  function onFrame(m) {
    switch (m.type) {
      case 'welcome':
        if (st.conversation && st.conversation !== m.conversation) reset();
        st.conversation = m.conversation;
        st.token = m.token;
        persist();
        ready = connected = true;
        attempt = 0;
        setOwner(m.owner, true);
        if (!pageViewSent) pageViewSent = send({ type: 'event', name: 'page_view', props: { page: location.pathname } });
        if (isOpen) send({ type: 'start' });
        if (vs.closed) send({ type: 'closed' });
        if (wantProactive) sendProactive();
        flush();
        break;
      case 'message':
        if (typeof m.seq === 'number') onEntry(m);
        break;
      case 'ack':
        acked(m.id, m.seq);
        break;
      case 'typing':
        serverTyping = m.on ? m.role : null;
        showTyping();
        break;
      case 'owner':
        setOwner(m.owner, false);
        break;
      case 'error':
        onError(m);
        break;
    }
  }

  function onError(m) {
    var item = m.id && local[m.id];
    if (m.code === 'bad_token') {
      // The stored conversation is gone: the server starts a fresh one (a welcome follows).
      st.conversation = st.token = null;
      st.last_seq = st.seen = 0;
      persist();
      reset();
    } else if (m.code === 'unknown_bot') {
      dead = true;
      ws.close();
      note('Chat is not available right now.');
      console.error('Rapport widget: ' + m.message);
    } else if (item && (m.code === 'rate_limited' || m.code === 'overloaded')) {
      clearTimeout(otimer);
      otimer = setTimeout(flush, 5000 + Math.random() * 5000); // not processed: send again later
    } else if (item) {
      st.outbox = st.outbox.filter(function (o) { return o.id !== m.id; });
      persist();
      delete local[m.id];
      item.className = 'm visitor failed';
      item.appendChild(el('span', 'err', m.code === 'too_long' ? 'Not sent: the message is too long.' : 'Not sent.'));
    }
  }

  // ---- transcript
  function onEntry(m) {
    if (m.seq > maxSeq) {
      maxSeq = m.seq;
      if (maxSeq > (st.last_seq || 0)) { st.last_seq = maxSeq; persist(); }
    }
    if (bySeq[m.seq] || queued[m.seq]) return; // already shown: never twice
    if (m.client_id && local[m.client_id]) return bind(local[m.client_id], m.seq);
    queued[m.seq] = 1;
    queue.push(m);
    pump();
  }
  // Bot messages wait their pace_ms behind a typing indicator; everything keeps its order.
  function pump() {
    while (!pacing && queue.length) {
      var m = queue[0];
      if (m.pace_ms > 0 && !m.paced) {
        m.paced = pacing = true;
        showTyping(m.role);
        setTimeout(function () { pacing = false; pump(); }, Math.min(m.pace_ms, 5000));
        return;
      }
      render(queue.shift());
    }
    showTyping();
  }
  function render(m) {
    if (m.note) return place(el('div', 'm note', m.note), m.seq, true);
    delete queued[m.seq];
    if (bySeq[m.seq]) return;
    var role = /^(bot|human|visitor|system)$/.test(m.role) ? m.role : 'bot';
    var row = el('div', 'm ' + role), bubble = el('div', 'b');
    var who = role === 'visitor' ? 'You' : role === 'human' ? (m.name || 'Team member') : role === 'bot' ? 'Assistant' : '';
    if (role === 'human') row.appendChild(attrs(el('span', 'n', who), { 'aria-hidden': 'true' }));
    if (who) bubble.appendChild(el('span', 'sr', who + ': '));
    fill(bubble, String(m.text || ''));
    if (m.at) bubble.title = new Date(m.at).toLocaleString();
    row.appendChild(bubble);
    if (role === 'visitor') disableButtons();
    if (m.buttons && m.buttons.length) {
      disableButtons();
      var group = attrs(el('div', 'bs'), { role: 'group', 'aria-label': 'Suggested replies' });
      m.buttons.forEach(function (b) {
        var btn = attrs(el('button', '', b.label), { type: 'button' });
        btn.onclick = function () {
          disableButtons();
          btn.className = 'on';
          btn.setAttribute('aria-pressed', 'true');
          post(String(b.label), String(b.payload || ''));
          input.focus();
        };
        group.appendChild(btn);
      });
      row.appendChild(group);
    }
    place(row, m.seq);
    if (role !== 'visitor' && role !== 'system' && m.seq > (st.seen || 0)) {
      if (isOpen) markSeen();
      else { unread++; showTeaser(m.text); }
    }
    showUnread();
  }
  // Entries are placed in seq order; unacknowledged messages (no seq yet) stay at the end.
  function place(row, seq, line) {
    row._seq = seq;
    if (seq != null && !line) bySeq[seq] = row;
    var ref = null;
    for (var c = log.lastElementChild; c && seq != null; c = c.previousElementSibling) {
      if (c !== row && (c._seq == null || c._seq > seq)) ref = c;
      else if (c !== row) break;
    }
    log.insertBefore(row, ref);
    log.scrollTop = log.scrollHeight;
  }
  function bind(row, seq) {
    row.classList.remove('pending');
    if (row._seq == null) place(row, seq);
  }
  // A line from the widget itself (not in the transcript), after what has arrived so far.
  function note(text) {
    queue.push({ note: text, seq: maxSeq + 0.5 });
    pump();
  }
  function disableButtons() {
    var bs = log.querySelectorAll('.bs button');
    for (var i = 0; i < bs.length; i++) bs[i].disabled = true;
  }
  function reset() {
    log.textContent = '';
    bySeq = {};
    local = {};
    queue = [];
    queued = {};
    maxSeq = unread = 0;
    showUnread();
    st.outbox.forEach(show);
  }

  // ---- the visitor's messages: kept (and stored) until acknowledged, re-sent after reconnecting
  function post(text, payload) {
    var item = { id: uid(), text: text };
    if (payload) item.payload = payload;
    st.outbox.push(item);
    persist();
    show(item);
    disableButtons();
    if (!send(Object.assign({ type: 'message' }, item))) connect();
  }
  function show(item) {
    var row = el('div', 'm visitor pending'), bubble = el('div', 'b');
    bubble.append(el('span', 'sr', 'You: '));
    fill(bubble, item.text);
    row.appendChild(bubble);
    local[item.id] = row;
    place(row, null);
  }
  function flush() {
    if (ready) st.outbox.forEach(function (o) { send(Object.assign({ type: 'message' }, o)); });
  }
  function acked(id, seq) {
    st.outbox = st.outbox.filter(function (o) { return o.id !== id; });
    persist();
    if (local[id]) { bind(local[id], seq); delete local[id]; }
  }

  // ---- status, typing, owner
  var OWNER = {
    bot: ['Assistant', 'You’re chatting with the assistant again.'],
    queued: ['Waiting for a person to join…', 'Connecting you with a person…'],
    human: ['Chatting with a person', 'You’re now chatting with a person.'],
    closed: ['Conversation ended', 'This conversation has ended.']
  };
  function setOwner(o, quiet) {
    if (!OWNER[o]) return;
    if (!quiet && owner && o !== owner && !(o === 'bot' && owner === 'closed')) note(OWNER[o][1]);
    owner = o;
    showStatus();
  }
  function showStatus() {
    status.textContent = connected && !ready ? 'Reconnecting…' : OWNER[owner || 'bot'][0];
  }
  function showTyping(role) {
    role = role || (pacing && queue[0] && queue[0].role) || serverTyping;
    typingEl.textContent = '';
    if (!role) return;
    typingEl.append(el('i'), el('i'), el('i'), document.createTextNode(role === 'human' ? ' A person is typing' : ' Typing'));
  }
  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingOn) { typingOn = false; send({ type: 'typing', on: false }); }
  }

  // ---- unread messages, teaser, seen
  function showUnread() {
    badge.textContent = unread > 9 ? '9+' : unread;
    launcher.textContent = '';
    launcher.appendChild(isOpen ? CLOSE() : CHAT());
    if (unread && !isOpen) launcher.appendChild(badge);
    launcher.setAttribute('aria-label', title + (unread && !isOpen ? ', ' + unread + ' unread message' + (unread > 1 ? 's' : '') : ''));
    if (!unread || isOpen) teaser.textContent = '';
  }
  function showTeaser(text) {
    teaser.textContent = '';
    var o = el('button', 'o', text), x = attrs(el('button', 'x'), { type: 'button', 'aria-label': 'Dismiss' });
    o.type = 'button';
    x.appendChild(CLOSE());
    o.onclick = function () { open(); };
    x.onclick = function () { markSeen(true); close(); };
    teaser.append(o, x);
  }
  function markSeen(force) {
    if (!force && (!isOpen || document.hidden)) return;
    var top = 0;
    for (var s in bySeq) top = Math.max(top, +s);
    unread = 0;
    showUnread();
    if (top <= (st.seen || 0)) return;
    st.seen = top;
    persist();
    clearTimeout(seenTimer);
    seenTimer = setTimeout(function () { send({ type: 'seen', seq: st.seen }); }, 300);
  }
  document.addEventListener('visibilitychange', function () { markSeen(); if (!document.hidden) reconnectNow(); });

  // ---- open and close
  function open(focus) {
    if (!isOpen) {
      isOpen = vs.open = true;
      persistVisit();
      panel.hidden = false;
      launcher.setAttribute('aria-expanded', 'true');
      if (!send({ type: 'start' })) connect();
      markSeen();
      showUnread();
      log.scrollTop = log.scrollHeight;
    }
    if (focus !== false) input.focus();
  }
  // Closing (or dismissing the teaser) means: no proactive message in this visit.
  function close() {
    clearTimeout(ptimer);
    vs.closed = true;
    vs.open = isOpen = false;
    persistVisit();
    send({ type: 'closed' });
    stopTyping();
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    showUnread();
    launcher.focus();
  }
  launcher.onclick = function () { if (isOpen) close(); else open(); };
  xBtn.onclick = close;
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { e.preventDefault(); close(); }
  });
  form.onsubmit = function (e) {
    e.preventDefault();
    var t = input.value.trim();
    if (!t) return;
    input.value = '';
    grow();
    stopTyping();
    post(t);
  };
  function grow() {
    input.style.height = 'auto';
    input.style.height = input.scrollHeight + 2 + 'px';
  }
  input.onkeydown = function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.onsubmit(e); }
  };
  input.oninput = function () {
    grow();
    if (!typingOn && input.value) typingOn = send({ type: 'typing', on: true });
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 3000);
  };
  input.onblur = stopTyping;
  document.addEventListener('click', function (e) {
    var t = e.target.closest && e.target.closest('[data-rapport-open]');
    if (t && (!t.getAttribute('data-rapport-open') || t.getAttribute('data-rapport-open') === bot)) { e.preventDefault(); open(); }
  });

  // ---- the proactive opener: once per visit, never after the visitor closed the widget, only
  // before the conversation has started
  function proactive() {
    if (isOpen || vs.closed || vs.proactive || maxSeq || st.last_seq) return;
    vs.proactive = true;
    persistVisit();
    wantProactive = true;
    if (ready) sendProactive();
    else connect();
  }
  function sendProactive() {
    wantProactive = false;
    if (!isOpen && !vs.closed && !maxSeq) send({ type: 'event', name: 'proactive', props: { page: location.pathname } });
  }

  function start() {
    document.body.appendChild(host);
    reg[bot] = { open: open, close: close };
    st.outbox.forEach(show);
    showUnread();
    showStatus();
    if (st.conversation || st.outbox.length) connect(); // resume: history, unread messages, outbox
    if (vs.open) open(false);
    if (delay > 0 && !vs.proactive && !vs.closed && !st.last_seq) ptimer = setTimeout(proactive, delay * 1000);
  }
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
