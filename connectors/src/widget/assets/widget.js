/*! Rapport web widget · embedding: docs/widget.md · protocol: docs/protocols/widget.md */
(() => {
  'use strict';
  const me = document.currentScript || document.querySelector('script[data-bot][src*="widget.js"]');
  const d = (me && me.dataset) || {}, bot = (d.bot || '').trim();
  if (!bot) return console.error('Rapport widget: the script tag needs data-bot="<bot name>"');
  const reg = (window.RapportWidget = window.RapportWidget || {});
  if (reg[bot]) return; // loaded twice
  const server = (d.server || new URL(me.src, location.href).origin).replace(/\/+$/, '');
  const side = d.position === 'left' ? 'left' : 'right';
  const title = d.title || 'Chat with us';
  const delay = parseFloat(d.greetingDelay) || 0;
  const KEY = 'rapport:' + bot;

  // ---- colours: the accent, a text colour that reads on it, a focus ring that shows on white
  const rgb = (c) => {
    const x = c && document.createElement('canvas').getContext('2d');
    if (!x) return;
    x.fillStyle = '#010203';
    x.fillStyle = c;
    const v = x.fillStyle, m = /^#(..)(..)(..)$/.exec(v);
    if (v !== '#010203') return m ? m.slice(1).map((h) => parseInt(h, 16)) : v.match(/\d+/g).slice(0, 3).map(Number);
  };
  const lum = (c) => c.map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const acc = rgb(d.color) || rgb(d.colour) || [67, 56, 202], WHITE = [255, 255, 255];
  const ACC = `rgb(${acc})`, ON = ratio(acc, WHITE) >= ratio(acc, [17, 24, 39]) ? '#fff' : '#111827';
  const RING = ratio(acc, WHITE) >= 3 ? ACC : '#111827';

  // ---- storage. localStorage, per bot: conversation, token, last_seq, seen, owner and the messages
  // not acknowledged yet (outbox). sessionStorage, this visit: proactive sent, closed, open.
  const store = (n) => { try { return window[n]; } catch (e) { return null; } };
  const ls = store('localStorage'), ss = store('sessionStorage');
  const load = (s) => { try { return JSON.parse(s.getItem(KEY)) || {}; } catch (e) { return {}; } };
  const save = (s, v) => { try { s.setItem(KEY, JSON.stringify(v)); } catch (e) { /* storage off */ } };
  const st = load(ls), vs = load(ss);
  st.outbox = st.outbox || [];
  const persist = () => save(ls, st), persistVisit = () => save(ss, vs);

  const CSS = `:host{all:initial}*{box-sizing:border-box}
.w{font:14px/1.45 var(--rapport-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:#111827}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
button{font:inherit;cursor:pointer}:focus-visible{outline:3px solid ${RING};outline-offset:2px}
.l{position:fixed;bottom:20px;${side}:20px;width:56px;height:56px;border:0;border-radius:50%;background:${ACC};color:${ON};box-shadow:0 4px 14px #0004;display:grid;place-items:center}
.l svg{width:26px;height:26px}
.badge{position:absolute;top:-3px;right:-3px;min-width:20px;padding:0 5px;border-radius:10px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;line-height:20px}
.p{position:fixed;bottom:88px;${side}:20px;width:min(380px,100vw - 24px);height:min(600px,100vh - 108px);display:flex;flex-direction:column;overflow:hidden;background:#fff;border-radius:14px;box-shadow:0 12px 40px #0004;animation:in .16s}
.p[hidden]{display:none}@keyframes in{from{opacity:0;transform:translateY(8px)}}
.h{display:flex;align-items:center;padding:12px 10px 12px 16px;background:${ACC};color:${ON}}
.h h2{margin:0;font-size:16px}.h p{margin:0;font-size:12px}
.x{margin-left:auto;width:36px;height:36px;border:0;border-radius:8px;background:none;color:inherit;display:grid;place-items:center}.x svg{width:20px;height:20px}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f9fafb}
.m{max-width:85%;display:flex;flex-direction:column;align-items:flex-start}.visitor{align-self:flex-end;align-items:flex-end}
.b{padding:8px 12px;border-radius:14px;background:#e5e7eb;white-space:pre-wrap;overflow-wrap:anywhere}.b a{color:inherit}
.visitor .b{background:${ACC};color:${ON}}.human .b{background:#fff;border:2px solid ${RING}}.pending .b{opacity:.75}
.n,.rd{margin:0 4px 2px;font-size:12px;color:#374151}.rd{margin:2px 4px 0}.failed .b{outline:2px solid #b91c1c}.err{font-size:12px;color:#b91c1c}
.system,.note{align-self:center;max-width:100%;font-size:12px;color:#374151;text-align:center}.system{font-style:italic}
.bs{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.bs button{padding:6px 12px;border:1px solid ${RING};border-radius:16px;background:#fff;color:#111827}
.bs button:disabled{cursor:default;color:#4b5563;border-color:#d1d5db}.bs button.on{background:${ACC};color:${ON};border-color:${ACC}}
.t{min-height:24px;padding:0 16px 4px;font-size:12px;color:#374151;background:#f9fafb}
.t i{display:inline-block;width:6px;height:6px;margin-right:3px;border-radius:50%;background:#4b5563;animation:dot 1s infinite}
.t i+i{animation-delay:.2s}.t i+i+i{animation-delay:.4s}@keyframes dot{50%{opacity:.25}}
.f{display:flex;gap:8px;padding:10px;border-top:1px solid #e5e7eb}
textarea{flex:1;min-height:38px;max-height:120px;resize:none;padding:8px 10px;border:1px solid #6b7280;border-radius:8px;font:inherit;color:#111827;background:#fff}
.s{padding:0 14px;border:0;border-radius:8px;background:${ACC};color:${ON};font-weight:600}
.tz{position:fixed;bottom:88px;${side}:20px;max-width:min(300px,100vw - 40px);display:flex;align-items:flex-start;gap:4px}
.tz .o{padding:10px 12px;border:1px solid #d1d5db;border-radius:12px;background:#fff;color:#111827;text-align:left;box-shadow:0 4px 14px #0003;display:-webkit-box;-webkit-line-clamp:4;-webkit-box-orient:vertical;overflow:hidden}
.tz .x{width:28px;height:28px;border:1px solid #d1d5db;border-radius:50%;background:#fff;color:#111827}
@media (max-width:480px){.p{inset:0;width:auto;height:auto;border-radius:0}.p:not([hidden])~.l{display:none}}
@media (prefers-reduced-motion:reduce){*{animation:none!important}}`;

  // ---- DOM helpers: text only ever goes in through textContent / text nodes
  const set = (e, at) => { for (const k in at) e.setAttribute(k, at[k]); return e; };
  const el = (tag, cls, text, at) => {
    const e = set(document.createElement(tag), at);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const icon = (close) => {
    const ns = 'http://www.w3.org/2000/svg', s = document.createElementNS(ns, 'svg');
    s.append(set(document.createElementNS(ns, 'path'), close
      ? { d: 'M6 6l12 12M18 6L6 18', fill: 'none', stroke: 'currentColor', 'stroke-width': 2.5, 'stroke-linecap': 'round' }
      : { d: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z', fill: 'currentColor' }));
    return set(s, { viewBox: '0 0 24 24', 'aria-hidden': 'true' });
  };
  // A message's text; explicit http(s) URLs become links.
  const fill = (node, text) => {
    const re = /\bhttps?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]]/g;
    let i = 0, m;
    while ((m = re.exec(text))) {
      node.append(text.slice(i, m.index), el('a', '', m[0], { href: m[0], target: '_blank', rel: 'noopener noreferrer nofollow' }));
      i = re.lastIndex;
    }
    node.append(text.slice(i));
  };
  const uid = () => crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => (x + 256).toString(16).slice(1)).join('');

  const host = el('rapport-widget'), root = host.attachShadow({ mode: 'open' });
  host.style.cssText = 'all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important';
  const w = el('div', 'w');
  const launcher = el('button', 'l', null, { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'rp' });
  const badge = el('span', 'badge', null, { 'aria-hidden': 'true' });
  const teaser = el('div', 'tz', null, { 'aria-live': 'polite' });
  const panel = el('div', 'p', null, { id: 'rp', role: 'dialog', 'aria-label': title });
  const head = el('div', 'h'), heading = el('div'), status = el('p');
  const xBtn = el('button', 'x', null, { type: 'button', 'aria-label': 'Close chat' });
  const log = el('div', 'log', null, { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' });
  const typingEl = el('div', 't', null, { 'aria-hidden': 'true' });
  const form = el('form', 'f');
  const input = el('textarea', '', null, { id: 'ri', rows: '1', placeholder: 'Write a message…' });
  xBtn.append(icon(1));
  heading.append(el('h2', '', title), status);
  head.append(heading, xBtn);
  form.append(el('label', 'sr', 'Your message', { for: 'ri' }), input, el('button', 's', 'Send', { type: 'submit' }));
  panel.hidden = true;
  panel.append(head, log, typingEl, form);
  w.append(teaser, panel, launcher);
  // A constructed stylesheet where supported (a page's CSP style-src does not apply), else <style>.
  if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else root.append(el('style', '', CSS));
  root.append(w);

  // ---- state
  let ws = null, ready = false, connected = false, dead = false, attempt = 0, isOpen = false, owner = null;
  let maxSeq = 0, bySeq = {}, local = {}, queue = [], queued = {}, pacing = false, serverTyping = null;
  let typingOn = false, unread = 0, pageViewSent = false, wantProactive = false, agentName = '';
  let rtimer, ptimer, otimer, seenTimer, typingTimer, upAt = 0;
  const send = (o) => ready && (ws.send(JSON.stringify(o)), true);
  const page = () => ({ page: location.pathname });

  // ---- connection
  function connect() {
    if (ws || dead) return;
    clearTimeout(rtimer);
    let s;
    try { s = ws = new WebSocket(server.replace(/^http/, 'ws') + '/widget/ws'); } catch (e) { ws = null; return retry(); }
    s.onopen = () => s.send(JSON.stringify({
      type: 'hello', bot, conversation: st.conversation || null, token: st.token || null, last_seq: maxSeq, batch: true,
      locale: navigator.language || '',
      page: { url: location.href.split('#')[0].slice(0, 2000), title: document.title.slice(0, 500), referrer: document.referrer.slice(0, 2000) },
    }));
    s.onmessage = (e) => {
      let m;
      try { m = JSON.parse(e.data); } catch (x) { return; }
      if (s !== ws || !m) return;
      if (Array.isArray(m)) m.forEach((f) => f && onFrame(f)); // a batch: several frames, in order
      else onFrame(m);
    };
    s.onclose = () => {
      if (s !== ws) return;
      ws = null;
      ready = false;
      serverTyping = null;
      if (upAt && Date.now() - upAt > 10000) attempt = 0; // a connection that lasted: start over
      upAt = 0;
      showTyping();
      showStatus();
      retry();
    };
  }
  // Exponential backoff with jitter, ~1 s up to 30 s (also after 1001 "service restart"); it only
  // starts over after a connection that lasted, so a server that drops us at once is not hammered.
  function retry() {
    if (dead) return;
    const base = Math.min(30000, 1000 * 2 ** attempt++);
    rtimer = setTimeout(connect, base / 2 + (Math.random() * base) / 2);
  }
  const reconnectNow = () => { if (connected && !ws && !dead) { attempt = 0; connect(); } };
  addEventListener('online', reconnectNow);

  function onFrame(m) {
    switch (m.type) {
      case 'welcome':
        if (st.conversation && st.conversation !== m.conversation) reset();
        st.conversation = m.conversation;
        st.token = m.token;
        persist();
        ready = connected = true;
        upAt = Date.now();
        setOwner(m.owner, true);
        if (!pageViewSent) pageViewSent = send({ type: 'event', name: 'page_view', props: page() });
        if (isOpen) send({ type: 'start' });
        if (vs.closed) send({ type: 'closed' });
        if (wantProactive) sendProactive();
        flush();
        break;
      case 'message':
        if (m.seq > 0) onEntry(m);
        break;
      case 'ack':
        acked(m.id, m.seq);
        break;
      case 'typing':
        serverTyping = m.on ? m.role : null;
        if (m.agent) agentName = String(m.agent);
        showTyping();
        break;
      case 'seen': // a person has read the visitor's messages up to seq
        if (m.role === 'human' && m.seq > (st.read || 0)) { st.read = m.seq; persist(); showRead(); }
        break;
      case 'owner':
        setOwner(m.owner);
        break;
      case 'error':
        onError(m);
    }
  }

  function onError(m) {
    const row = m.id && local[m.id];
    if (m.code === 'bad_token') {
      // The stored conversation is gone; the server starts a new one (a welcome follows).
      st.conversation = st.token = null;
      st.last_seq = st.seen = st.read = 0;
      persist();
      reset();
    } else if (m.code === 'unknown_bot') {
      dead = true;
      ws.close();
      note('Chat is not available right now.');
      console.error('Rapport widget: ' + m.message);
    } else if (row && (m.code === 'rate_limited' || m.code === 'overloaded')) {
      clearTimeout(otimer); // not processed: send it again a little later
      otimer = setTimeout(flush, 5000 + Math.random() * 5000);
    } else if (row) {
      st.outbox = st.outbox.filter((o) => o.id !== m.id);
      persist();
      delete local[m.id];
      row.className = 'm visitor failed';
      row.seq = maxSeq + 0.5; // stays where it is
      row.append(el('span', 'err', m.code === 'too_long' ? 'Not sent: the message is too long.' : 'Not sent.'));
    }
  }

  // ---- the transcript
  function onEntry(m) {
    if (m.seq > maxSeq) {
      maxSeq = m.seq;
      if (maxSeq > (st.last_seq || 0)) { st.last_seq = maxSeq; persist(); }
    }
    if (bySeq[m.seq] || queued[m.seq]) return; // shown already: never twice
    if (m.client_id && local[m.client_id]) return bind(local[m.client_id], m.seq);
    queued[m.seq] = 1;
    queue.push(m);
    pump();
  }
  // Bot messages wait their pace_ms behind the typing indicator; everything keeps its order.
  function pump() {
    while (!pacing && queue.length) {
      const m = queue[0];
      if (m.pace_ms > 0 && !m.paced) {
        m.paced = pacing = true;
        showTyping();
        setTimeout(() => { pacing = false; pump(); }, Math.min(m.pace_ms, 5000));
        return;
      }
      render(queue.shift());
    }
    showTyping();
  }
  function render(m) {
    if (m.note) return place(el('div', 'm note', m.note), m.seq, true);
    delete queued[m.seq];
    const role = /^(bot|human|visitor|system)$/.test(m.role) ? m.role : 'bot';
    // A note from the desk ("Ana has joined the conversation."): a discreet line, not a bubble.
    if (role === 'system') return place(el('div', 'm system', String(m.text || '')), m.seq);
    if (role === 'human' && m.agent) { agentName = String(m.agent); showStatus(); }
    const row = el('div', 'm ' + role), bubble = el('div', 'b');
    const who = { visitor: 'You', human: m.agent || 'Team member', bot: 'Assistant' }[role];
    if (role === 'human') row.append(el('span', 'n', who, { 'aria-hidden': 'true' }));
    if (who) bubble.append(el('span', 'sr', who + ': '));
    fill(bubble, String(m.text || ''));
    if (m.at) bubble.title = new Date(m.at).toLocaleString();
    row.append(bubble);
    if (role === 'visitor') disableButtons();
    if (m.buttons && m.buttons.length) {
      disableButtons(); // only the latest question's buttons can be clicked
      const group = el('div', 'bs', null, { role: 'group', 'aria-label': 'Suggested replies' });
      for (const b of m.buttons) {
        const btn = el('button', '', b.label, { type: 'button' });
        btn.onclick = () => {
          disableButtons();
          btn.className = 'on';
          btn.setAttribute('aria-pressed', 'true');
          post(String(b.label), String(b.payload || ''));
          input.focus();
        };
        group.append(btn);
      }
      row.append(group);
    }
    place(row, m.seq);
    if (role !== 'visitor' && role !== 'system' && m.seq > (st.seen || 0)) {
      if (isOpen) markSeen();
      else { unread++; showTeaser(m.text); }
    }
    showUnread();
  }
  // Rows are kept in seq order; messages not acknowledged yet (no seq) stay at the end.
  function place(row, seq, isNote) {
    row.seq = seq;
    if (seq != null && !isNote) bySeq[seq] = row;
    let ref = null;
    for (let c = log.lastElementChild; c && seq != null; c = c.previousElementSibling) {
      if (c === row) continue;
      if (c.seq == null || c.seq > seq) ref = c;
      else break;
    }
    log.insertBefore(row, ref);
    if (st.read) showRead();
    log.scrollTop = log.scrollHeight;
  }
  // "Read" under the visitor's last message a person has read.
  function showRead() {
    const rows = [...log.querySelectorAll('.m.visitor')].filter((r) => r.seq != null && r.seq <= st.read);
    const last = rows[rows.length - 1], mark = log.querySelector('.rd');
    if (mark && mark.parentNode === last) return;
    if (mark) mark.remove();
    if (last) last.append(el('span', 'rd', 'Read'));
  }
  function bind(row, seq) {
    row.classList.remove('pending');
    if (row.seq == null) place(row, seq);
  }
  // A line from the widget itself (not in the transcript), after what has arrived so far.
  function note(text) {
    queue.push({ note: text, seq: maxSeq + 0.5 });
    pump();
  }
  const disableButtons = () => log.querySelectorAll('.bs button').forEach((b) => (b.disabled = true));
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

  // ---- the visitor's messages: stored until acknowledged, sent again after reconnecting
  function post(text, payload) {
    const item = { id: uid(), text };
    if (payload) item.payload = payload;
    st.outbox.push(item);
    persist();
    show(item);
    disableButtons();
    if (!send({ type: 'message', ...item })) connect();
  }
  function show(item) {
    const row = el('div', 'm visitor pending'), bubble = el('div', 'b');
    bubble.append(el('span', 'sr', 'You: '));
    fill(bubble, item.text);
    row.append(bubble);
    local[item.id] = row;
    place(row, null);
  }
  const flush = () => st.outbox.forEach((o) => send({ type: 'message', ...o }));
  function acked(id, seq) {
    st.outbox = st.outbox.filter((o) => o.id !== id);
    persist();
    if (local[id]) { bind(local[id], seq); delete local[id]; }
  }

  // ---- status, typing, owner
  const OWNER = {
    bot: ['Assistant', 'You’re chatting with the assistant again.'],
    queued: ['Waiting for a person to join…', ''],
    human: ['Chatting with a person', ''],
    closed: ['Conversation ended', 'This conversation has ended.'],
  };
  function setOwner(o, quiet) {
    if (!OWNER[o]) return;
    // A line when the bot takes over again from a person, or the conversation ends. (When a
    // handoff starts, a person joins or the handoff found nobody, the desk's notes or the bot say so.)
    if (!quiet && owner && o !== owner && owner !== 'closed' && OWNER[o][1] && !(o === 'bot' && owner === 'queued')) note(OWNER[o][1]);
    if (o !== 'human') agentName = '';
    owner = st.owner = o;
    persist();
    showStatus();
  }
  const showStatus = () => (status.textContent = !ready ? (connected ? 'Reconnecting…' : 'Connecting…')
    : owner === 'human' && agentName ? 'Chatting with ' + agentName : OWNER[owner || 'bot'][0]);
  function showTyping() {
    const role = (pacing && queue[0].role) || serverTyping;
    typingEl.textContent = '';
    if (role) typingEl.append(el('i'), el('i'), el('i'), role === 'human' ? ` ${agentName || 'A person'} is typing` : ' Typing');
  }
  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingOn) { typingOn = false; send({ type: 'typing', on: false }); }
  }

  // ---- unread messages, the teaser, seen
  function showUnread() {
    const n = isOpen ? 0 : unread;
    badge.textContent = n > 9 ? '9+' : n;
    launcher.textContent = '';
    launcher.append(icon(isOpen));
    if (n) launcher.append(badge);
    launcher.setAttribute('aria-label', title + (n ? `, ${n} unread message${n > 1 ? 's' : ''}` : ''));
    if (!n) teaser.textContent = '';
  }
  function showTeaser(text) {
    const o = el('button', 'o', text, { type: 'button' }), x = el('button', 'x', null, { type: 'button', 'aria-label': 'Dismiss' });
    x.append(icon(1));
    o.onclick = () => open();
    x.onclick = () => { markSeen(true); close(); };
    teaser.textContent = '';
    teaser.append(o, x);
  }
  function markSeen(force) {
    if (!force && (!isOpen || document.hidden)) return;
    const top = Math.max(0, ...Object.keys(bySeq).map(Number));
    unread = 0;
    showUnread();
    if (top <= (st.seen || 0)) return;
    st.seen = top;
    persist();
    clearTimeout(seenTimer);
    seenTimer = setTimeout(() => send({ type: 'seen', seq: st.seen }), 300);
  }
  document.addEventListener('visibilitychange', () => { markSeen(); if (!document.hidden) reconnectNow(); });

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
  // Closing the widget (or dismissing the teaser): no proactive message in this visit.
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
  launcher.onclick = () => (isOpen ? close() : open());
  xBtn.onclick = close;
  panel.onkeydown = (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } };
  form.onsubmit = (e) => {
    e.preventDefault();
    const t = input.value.trim();
    if (!t) return;
    input.value = '';
    grow();
    stopTyping();
    post(t);
  };
  const grow = () => { input.style.height = 'auto'; input.style.height = input.scrollHeight + 2 + 'px'; };
  input.onkeydown = (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.onsubmit(e); }
  };
  input.oninput = () => {
    grow();
    if (!typingOn && input.value) typingOn = send({ type: 'typing', on: true });
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 3000);
  };
  input.onblur = stopTyping;
  // Any element with data-rapport-open (or data-rapport-open="<bot>") on the page opens the widget.
  document.addEventListener('click', (e) => {
    const t = e.target.closest && e.target.closest('[data-rapport-open]'), want = t && t.getAttribute('data-rapport-open');
    if (t && (!want || want === bot)) { e.preventDefault(); open(); }
  });

  // ---- the proactive opener: at most once per visit, never after the visitor closed the widget,
  // only while the conversation has not started
  function proactive() {
    if (isOpen || vs.closed || vs.proactive || maxSeq || st.last_seq) return;
    vs.proactive = wantProactive = true;
    persistVisit();
    if (ready) sendProactive();
    else connect();
  }
  function sendProactive() {
    wantProactive = false;
    if (!isOpen && !vs.closed && !maxSeq) send({ type: 'event', name: 'proactive', props: page() });
  }

  function start() {
    document.body.append(host);
    reg[bot] = { open, close };
    st.outbox.forEach(show);
    showUnread();
    showStatus();
    // Resume at once (history, replies that came while away, the outbox) unless it has ended.
    if ((st.conversation && st.owner !== 'closed') || st.outbox.length) connect();
    if (vs.open) open(false);
    if (delay > 0 && !vs.proactive && !vs.closed && !st.last_seq) ptimer = setTimeout(proactive, delay * 1000);
  }
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
