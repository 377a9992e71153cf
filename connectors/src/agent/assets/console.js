/*! Rapport agent console · protocol: docs/protocols/agent.md · guide: docs/operations/handoff.md */
(() => {
  'use strict';

  // ---- helpers: text only ever goes in through textContent and text nodes
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text, at) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    for (const k in at || {}) e.setAttribute(k, at[k]);
    return e;
  };
  const str = (v) => (v == null ? '' : String(v));
  const list = (v) => (Array.isArray(v) ? v : []);
  const words = (s) => str(s).replace(/_/g, ' ');
  const uid = () => (crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => (x + 256).toString(16).slice(1)).join(''));
  const since = (ms) => {
    const s = Math.max(0, Math.floor((Date.now() - ms) / 1000)), m = Math.floor(s / 60);
    return s < 60 ? `${s} s` : m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
  };
  // A duration that counts up every second ("waiting 2 min").
  const ticking = (prefix, ms) => {
    const e = el('span', 'since', prefix + since(ms));
    e.dataset.since = ms;
    e.dataset.prefix = prefix;
    return e;
  };
  const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const quote = (s) => (s ? `“${s.length > 90 ? s.slice(0, 88) + '…' : s}”` : '');

  const TITLE = 'Agent console · Rapport';
  const OUTCOMES = { qualified_lead: 'Qualified lead', won: 'Won', support: 'Support', not_a_lead: 'Not a lead' };
  const ERRORS = {
    bad_credentials: 'Wrong agent name or password.',
    not_waiting: 'Someone else took this conversation, or the visitor left.',
    not_your_team: 'This conversation waits for another team.',
    at_capacity: 'You are at your capacity: close or hand back a conversation first.',
    not_yours: 'This conversation is not yours (any more).',
    unknown_team: 'There is no such team.',
    unknown_agent: 'There is no such colleague.',
    unknown_flow: 'The bot has no such flow.',
    bad_outcome: 'Choose an outcome.',
    forbidden: 'You may not see this conversation.',
    too_long: 'The message is too long.',
    rate_limited: 'Too much at once; try again in a moment.',
    overloaded: 'The server is busy; try again in a moment.',
  };
  const explain = (code, message) => ERRORS[code] || message || code || 'Something went wrong.';

  // ---- state
  let me = null;       // {id, name, teams, capacity}
  let desk = null;     // the last desk frame
  let selected = null; // the id of the conversation on screen
  let ws = null, loggedIn = false, attempt = 0, upAt = 0, rtimer = 0;
  let typingOn = null, typingTimer = 0, seenTimer = 0, focusCompose = null, reqSeq = 0;
  const convs = new Map();    // id → what this console holds of a conversation (below)
  const info = new Map();     // id → its last entry in the desk's queue or mine (kept when it leaves)
  const requests = new Map(); // request id → {kind, conversation, label}

  function conv(id) {
    let c = convs.get(id);
    if (!c) {
      c = {
        id, owner: '', opened: false, loaded: false, gone: false, maxSeq: 0, seen: 0, sentSeen: 0, typing: '',
        typingTimer: 0, unread: 0, draft: '', bySeq: new Map(), pending: new Map(),
        log: el('div', 'log', null, { role: 'log', 'aria-live': 'polite', 'aria-label': 'Transcript', tabindex: '0' }),
      };
      convs.set(id, c);
    }
    return c;
  }
  const mine = (id) => !!desk && desk.mine.some((c) => c.id === id);
  const queued = (id) => desk && desk.queue.find((c) => c.id === id);
  const nameOf = (agent) => (me && agent === me.id ? me.name
    : str((desk && desk.colleagues.find((a) => a.id === agent) || {}).name) || agent);

  // ---- announcements: a polite live region (offers, unread messages), and a visible notice
  function say(text) {
    const a = $('announce');
    a.textContent = a.textContent === text ? text + '\u00a0' : text;
  }
  let noticeTimer = 0;
  function notice(text, bad) {
    const n = $('notice');
    n.textContent = text;
    n.classList.toggle('bad', !!bad);
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => { n.textContent = ''; }, 8000);
  }

  // ---- logging in and out
  const loginError = $('login-error');
  function loginFailed(text, field) {
    loginError.textContent = text;
    $('login-password').value = '';
    (field || $('login-password')).focus();
  }
  $('login-form').onsubmit = async (e) => {
    e.preventDefault();
    const agent = $('login-agent').value.trim(), password = $('login-password').value;
    loginError.textContent = '';
    $('login-info').textContent = '';
    if (!agent) return loginFailed('Enter your agent name.', $('login-agent'));
    if (!password) return loginFailed('Enter your password.');
    const submit = $('login-submit');
    submit.disabled = true;
    try {
      const r = await fetch('/agent/api/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ agent, password }),
      });
      const body = await r.json().catch(() => ({}));
      if (r.ok && body.agent) return enterDesk(body.agent);
      loginFailed(r.status === 401 ? ERRORS.bad_credentials
        : r.status === 429 ? 'Too many attempts. Wait a minute, then try again.'
          : explain(str(body.code || body.type).replace(/^urn:rapport:problem:/, ''),
            body.detail || body.title || `The server answered ${r.status}.`));
    } catch (x) {
      loginFailed('The server cannot be reached. Check the connection and try again.');
    } finally {
      submit.disabled = false;
    }
  };
  $('logout').onclick = async () => {
    try { await fetch('/agent/api/logout', { method: 'POST' }); } catch (x) { /* the session expires anyway */ }
    history.replaceState(null, '', location.pathname);
    showLogin('You have logged out.');
  };

  function enterDesk(agent) {
    me = agent;
    loggedIn = true;
    $('noscript').hidden = $('login').hidden = true;
    $('desk').hidden = false;
    $('login-password').value = '';
    render();
    connect();
    $('queue-h').focus();
  }
  function showLogin(message, problem) {
    loggedIn = false;
    clearTimeout(rtimer);
    stopTyping();
    if (ws) { const s = ws; ws = null; s.close(1000); }
    me = desk = selected = null;
    convs.clear();
    info.clear();
    requests.clear();
    $('log-slot').textContent = '';
    $('noscript').hidden = $('desk').hidden = true;
    $('login').hidden = false;
    $('login-info').textContent = problem ? '' : message || '';
    loginError.textContent = problem ? message : '';
    document.title = TITLE;
    $('login-agent').focus();
  }
  // Whether the session still holds (false: the login form is shown).
  async function checkSession() {
    try {
      const r = await fetch('/agent/api/me');
      if (r.status !== 401) return true;
    } catch (x) {
      return true; // the server is away: keep trying
    }
    showLogin('Your session has ended. Please log in again.', true);
    return false;
  }

  // ---- the WebSocket, reconnected with backoff (also after 1001 "service restart")
  function connect() {
    if (ws || !loggedIn) return;
    clearTimeout(rtimer);
    showConnection(attempt ? 'Reconnecting…' : 'Connecting…');
    const s = ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/agent/ws`);
    s.onopen = () => {
      if (s !== ws) return;
      upAt = Date.now();
      for (const c of convs.values()) c.opened = false; // the desk frame re-opens them
    };
    s.onmessage = (e) => {
      let f;
      try { f = JSON.parse(e.data); } catch (x) { return; }
      if (s === ws && f && typeof f === 'object') onFrame(f);
    };
    s.onclose = async () => {
      if (s !== ws) return;
      ws = null;
      typingOn = null;
      if (upAt && Date.now() - upAt > 10000) attempt = 0; // it lasted: start over
      upAt = 0;
      for (const c of convs.values()) c.typing = '';
      showTyping();
      if (!loggedIn) return;
      showConnection('Connection lost. Reconnecting…');
      if (await checkSession()) retry();
    };
  }
  function retry() {
    if (!loggedIn || ws) return;
    const base = Math.min(30000, 1000 * 2 ** attempt++);
    clearTimeout(rtimer);
    rtimer = setTimeout(connect, base / 2 + (Math.random() * base) / 2);
  }
  const reconnectNow = () => { if (loggedIn && !ws) { attempt = 0; connect(); } };
  addEventListener('online', reconnectNow);
  function showConnection(text) {
    $('conn').textContent = text;
    $('conn').classList.toggle('bad', !!text);
  }
  const send = (o) => !!ws && ws.readyState === 1 && (ws.send(JSON.stringify(o)), true);
  // An accept, return, transfer or close: its result frame names the request.
  function request(kind, conversation, fields, label) {
    const id = 'r' + ++reqSeq;
    requests.set(id, { kind, conversation, label });
    if (!send({ type: kind, conversation, request: id, ...fields })) {
      requests.delete(id);
      notice('Not connected: try again in a moment.', true);
    }
  }

  function onFrame(f) {
    switch (f.type) {
      case 'desk': return onDesk(f);
      case 'conversation': return onConversation(f);
      case 'message': {
        const c = convs.get(f.conversation);
        if (c && c.loaded && f.message) addEntry(c, f.message, true);
        return;
      }
      case 'typing': return onTyping(f);
      case 'seen': return onSeen(f);
      case 'owner': {
        const c = convs.get(f.conversation);
        if (!c) return;
        c.owner = str(f.owner);
        if (c.owner !== 'human') c.typing = '';
        if (c.id === selected) renderChat();
        return;
      }
      case 'gone': { // it left this agent's desk (taken by a colleague, the visitor left, closed)
        const c = convs.get(f.conversation);
        if (!c) return;
        c.opened = false;
        c.gone = true;
        c.typing = '';
        if (c.id === selected) { renderChat(); showTyping(); }
        return;
      }
      case 'ack': return onAck(f);
      case 'result': return onResult(f);
      case 'error': return onError(f);
    }
  }

  // ---- the desk: presence, queue, my conversations
  function onDesk(d) {
    const before = desk;
    desk = {
      status: str(d.status), queue: list(d.queue), mine: list(d.mine), colleagues: list(d.colleagues),
      teams: list(d.teams), outcomes: list(d.outcomes).length ? list(d.outcomes) : Object.keys(OUTCOMES),
      flows: d.flows && typeof d.flows === 'object' ? d.flows : {},
    };
    if (d.me) me = d.me;
    showConnection('');
    for (const c of desk.queue.concat(desk.mine)) {
      info.set(c.id, c);
      if (convs.has(c.id)) convs.get(c.id).gone = false;
    }
    // Follow my conversations (unread counts, typing) and the one on screen; leave the rest.
    const follow = new Set(desk.mine.map((c) => c.id));
    if (selected && !convs.get(selected).gone) follow.add(selected);
    for (const id of follow) { const c = conv(id); if (!c.opened) c.opened = send({ type: 'open', conversation: id }); }
    for (const c of convs.values()) {
      if (c.opened && !follow.has(c.id)) { send({ type: 'leave', conversation: c.id }); c.opened = false; }
    }
    if (before) {
      for (const c of desk.queue) {
        const was = before.queue.find((x) => x.id === c.id);
        if (c.offered_to_me && !(was && was.offered_to_me)) say(`Offered to you: ${describe(c)}.`);
        else if (!was) say(`New in the queue: ${describe(c)}.`);
      }
    } else if (desk.queue.length) {
      say(`${desk.queue.length} waiting in the queue.`);
    }
    render();
    if (!before) fromHash();
  }
  // #conversation=<id> (a lead's transcript_url, or a reload) opens that conversation.
  function fromHash() {
    const m = /^#conversation=(.+)$/.exec(location.hash);
    if (m && desk) select(decodeURIComponent(m[1]), false);
  }
  addEventListener('hashchange', fromHash);
  const describe = (c) => [`${c.team} team`, words(c.reason), quote(str((c.summary || {}).first_message))]
    .filter(Boolean).join(', ');

  function render() {
    if (!me) return;
    $('me').textContent = me.name + (list(me.teams).length ? ` · ${list(me.teams).join(', ')}` : '');
    if (!desk) return renderChat();
    for (const r of document.querySelectorAll('input[name=presence]')) r.checked = r.value === desk.status;
    renderList($('queue'), desk.queue, queueItem);
    renderList($('mine'), desk.mine, mineItem);
    $('queue-empty').hidden = desk.queue.length > 0;
    $('mine-empty').hidden = desk.mine.length > 0;
    $('queue-count').textContent = desk.queue.length ? `(${desk.queue.length})` : '';
    $('mine-count').textContent = desk.mine.length ? `(${desk.mine.length} of ${me.capacity || '?'})` : '';
    const waiting = desk.queue.filter((c) => c.offered_to_me).length
      + desk.mine.reduce((n, c) => n + (convs.has(c.id) ? convs.get(c.id).unread : 0), 0);
    document.title = (waiting ? `(${waiting}) ` : '') + TITLE;
    renderChat();
  }
  // Rebuilds a list, keeping the keyboard focus on the same control (or its section's heading when
  // the conversation left the list).
  function renderList(ul, items, make) {
    const a = document.activeElement, key = a && ul.contains(a) && a.dataset.key;
    ul.textContent = '';
    items.forEach((c, i) => ul.append(make(c, `${ul.id}-${i}`)));
    if (key) {
      const again = [...ul.querySelectorAll('[data-key]')].find((b) => b.dataset.key === key);
      (again || ul.parentNode.querySelector('h2')).focus();
    }
  }
  function pickButton(c, titleId, title, lines) {
    const b = el('button', 'pick', null, { type: 'button', 'data-key': 'pick:' + c.id });
    if (c.id === selected) b.setAttribute('aria-current', 'true');
    b.append(el('span', 't', title, { id: titleId }));
    for (const l of lines) if (l) b.append(l);
    b.onclick = () => select(c.id);
    return b;
  }
  function queueItem(c, id) {
    const li = el('li', 'item' + (c.offered_to_me ? ' offered' : '') + (c.id === selected ? ' current' : ''));
    const meta = el('span', 'meta');
    meta.append(ticking('waiting ', Number(c.waiting_since) || Date.now()));
    if (c.position > 0) meta.append(c.position === 1 ? ' · next in line' : ` · #${c.position} in line`);
    const first = quote(str((c.summary || {}).first_message));
    li.append(pickButton(c, id, `${c.team} · ${words(c.reason)}`, [
      first && el('span', 'q', first), meta, c.offered_to_me && el('span', 'badge', 'Offered to you')]));
    const acts = el('div', 'acts');
    const ok = el('button', c.offered_to_me ? 'primary' : '', 'Accept', { type: 'button', 'data-key': 'accept:' + c.id, 'aria-describedby': id });
    ok.onclick = () => accept(c.id);
    acts.append(ok);
    if (c.offered_to_me) {
      const no = el('button', '', 'Decline', { type: 'button', 'data-key': 'decline:' + c.id, 'aria-describedby': id });
      no.onclick = () => decline(c.id);
      acts.append(no);
    }
    li.append(acts);
    return li;
  }
  function mineItem(c, id) {
    const li = el('li', 'item' + (c.id === selected ? ' current' : ''));
    const v = convs.get(c.id), unread = v ? v.unread : 0;
    const meta = el('span', 'meta');
    meta.append(c.accepted_at ? ticking('with you for ', Number(c.accepted_at)) : 'with you');
    const first = quote(str((c.summary || {}).first_message));
    li.append(pickButton(c, id, `${c.team} · ${words(c.reason)}`, [
      first && el('span', 'q', first), meta,
      unread && el('span', 'badge unread', unread === 1 ? '1 new message' : `${unread} new messages`)]));
    return li;
  }
  setInterval(() => {
    for (const e of document.querySelectorAll('[data-since]')) e.textContent = e.dataset.prefix + since(Number(e.dataset.since));
  }, 1000);

  for (const r of document.querySelectorAll('input[name=presence]')) {
    r.onchange = () => { if (r.checked && !send({ type: 'presence', status: r.value })) notice('Not connected: try again in a moment.', true); };
  }

  // ---- actions
  function accept(id) {
    select(id, false);
    request('accept', id, {}, '');
  }
  function decline(id) {
    if (send({ type: 'decline', conversation: id })) notice('Passed on to a colleague.');
  }
  $('chat-accept').onclick = () => selected && accept(selected);
  $('chat-decline').onclick = () => selected && decline(selected);
  $('return-form').onsubmit = (e) => {
    e.preventDefault();
    const flow = $('return-flow').value;
    request('return', selected, flow ? { flow } : {}, flow);
  };
  $('transfer-form').onsubmit = (e) => {
    e.preventDefault();
    const v = $('transfer-to').value, sel = $('transfer-to');
    if (!v) { notice('Choose a team or a colleague first.', true); return sel.focus(); }
    const [kind, to] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)];
    request('transfer', selected, kind === 'team' ? { team: to } : { agent: to }, sel.options[sel.selectedIndex].text);
  };
  $('close-form').onsubmit = (e) => {
    e.preventDefault();
    const sel = $('close-outcome');
    if (!sel.value) { notice('Choose an outcome first.', true); return sel.focus(); }
    request('close', selected, { outcome: sel.value }, sel.options[sel.selectedIndex].text);
  };
  function onResult(f) {
    const r = requests.get(f.request);
    if (!r) return;
    requests.delete(f.request);
    if (!f.ok) return notice(explain(f.code, f.message), true);
    if (r.kind === 'accept') {
      notice('You accepted the conversation; the visitor sees that you joined.');
      focusCompose = r.conversation;
      if (selected !== r.conversation) select(r.conversation);
      else renderChat();
    } else if (r.kind === 'return') {
      notice(r.label ? `Back to the bot, into the flow ${r.label}.` : 'Back to the bot.');
    } else if (r.kind === 'transfer') {
      notice(`Transferred to ${r.label}.`);
    } else if (r.kind === 'close') {
      notice(`Closed: ${r.label}.`);
    }
    if (r.kind !== 'accept') {
      // It is no longer mine: the server may stop its updates, so this console knows where it went.
      const c = convs.get(r.conversation);
      if (c) c.owner = { return: 'bot', transfer: 'queued', close: 'closed' }[r.kind];
      if (r.conversation === selected) { renderChat(); $('chat-h').focus(); }
    }
  }
  function onError(f) {
    if (f.request && requests.has(f.request)) {
      requests.delete(f.request);
      return notice(explain(f.code, f.message), true);
    }
    if (f.id) {
      for (const c of convs.values()) {
        const p = c.pending.get(f.id);
        if (!p) continue;
        if (f.code === 'rate_limited' || f.code === 'overloaded') { // not processed: again, a little later
          setTimeout(() => { if (c.pending.get(f.id) === p) send({ type: 'message', conversation: c.id, id: f.id, text: p.text }); },
            4000 + Math.random() * 4000);
        } else {
          c.pending.delete(f.id);
          p.row.failed = 'Not sent: ' + explain(f.code, f.message);
          p.row.classList.add('failed');
          setStatus(c, p.row);
        }
        return;
      }
    }
    notice(explain(f.code, f.message), true);
    const c = selected && convs.get(selected);
    if (f.code === 'forbidden' && c && !c.loaded) { // the conversation on screen may not be seen
      convs.delete(c.id);
      selected = null;
      history.replaceState(null, '', location.pathname);
      $('log-slot').textContent = '';
      render();
    }
  }

  // ---- the conversation on screen
  function select(id, focus) {
    if (selected !== id) {
      stopTyping();
      const prev = selected && convs.get(selected);
      selected = id;
      history.replaceState(null, '', '#conversation=' + encodeURIComponent(id));
      if (prev && prev.opened && !mine(prev.id)) { send({ type: 'leave', conversation: prev.id }); prev.opened = false; }
      const c = conv(id);
      if (!c.opened) c.opened = send({ type: 'open', conversation: id });
      c.unread = 0;
      $('log-slot').replaceChildren(c.log);
      $('compose-text').value = c.draft;
      grow();
      if (focus !== false && mine(id)) focusCompose = id;
      render();
      showTyping();
      c.log.scrollTop = c.log.scrollHeight;
      markSeen(c);
    } else if (focus !== false && mine(id)) {
      $('compose-text').focus();
    }
  }
  function renderChat() {
    const c = selected && convs.get(selected), i = selected && info.get(selected);
    $('chat-none').hidden = !!c;
    $('chat-pane').hidden = !c;
    $('actions').hidden = !c || !mine(selected);
    if (!c) {
      $('chat-h').textContent = 'No conversation open';
      $('summary').textContent = '';
      $('summary-none').hidden = false;
      return;
    }
    const s = (i && i.summary) || {}, page = str(s['context.page']);
    $('chat-h').textContent = 'Visitor' + (page ? ` on ${page}` : i && i.channel ? ` on ${i.channel}` : '');
    const state = $('chat-state'), q = queued(selected), owned = mine(selected);
    state.textContent = '';
    if (owned) state.append(i && i.accepted_at ? ticking('With you for ', Number(i.accepted_at)) : 'With you');
    else if (q) {
      state.append(ticking('Waiting ', Number(q.waiting_since) || Date.now()));
      if (q.position > 0) state.append(q.position === 1 ? ' · next in line' : ` · #${q.position} in line`);
      if (q.offered_to_me) state.append(' · offered to you');
    } else if (c.gone && c.owner !== 'bot' && c.owner !== 'closed') {
      state.append('No longer on your desk');
    } else {
      state.append({ bot: 'With the bot', queued: 'Waiting for a person', closed: 'Closed',
        human: i && i.agent ? `With ${nameOf(i.agent)}` : 'With a colleague' }[c.owner] || (c.loaded ? '' : 'Loading…'));
    }
    $('chat-accept').hidden = !q;
    $('chat-accept').className = q && q.offered_to_me ? 'primary' : '';
    $('chat-decline').hidden = !(q && q.offered_to_me);
    $('compose').hidden = !owned;
    const off = $('compose-off');
    off.hidden = owned;
    off.textContent = q ? 'Accept the conversation to write to the visitor.'
      : c.owner === 'closed' ? 'This conversation has ended.'
        : c.gone && c.owner !== 'bot' ? 'This conversation has left your desk: a colleague took it, or the visitor left.'
        : c.owner === 'bot' ? 'The bot is answering this conversation.' : 'Someone else is answering this conversation.';
    renderSummary(i);
    if (owned) renderActions(i);
    if (owned && focusCompose === selected) { focusCompose = null; $('compose-text').focus(); }
  }

  // What the bot prepared: what brought the visitor, intent, lead score, where they are, the slots.
  const SHOWN = new Set(['first_message', 'intent', 'intent.confidence', 'lead_score', 'channel', 'locale']);
  const show = (v) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : Array.isArray(v) || (v && typeof v === 'object') ? JSON.stringify(v) : str(v));
  function renderSummary(i) {
    const box = $('summary'), s = (i && i.summary) || {};
    box.textContent = '';
    $('summary-none').hidden = !!i;
    if (!i) return;
    const dl = (rows) => {
      const d = el('dl');
      for (const [k, v] of rows) {
        if (v === '' || v == null) continue;
        const row = el('div');
        row.append(el('dt', '', k), el('dd', '', show(v)));
        d.append(row);
      }
      return d;
    };
    const conf = Number(s['intent.confidence']);
    const utm = Object.keys(s).filter((k) => k.startsWith('context.utm_')).map((k) => `${k.slice(12)}: ${show(s[k])}`);
    const title = str(s['context.page_title']), page = str(s['context.page']);
    box.append(dl([
      ['What brought them', s.first_message ? quote(str(s.first_message)) : ''],
      ['Intent', s.intent ? words(s.intent) + (conf > 0 ? ` (${Math.round(conf * 100)} % sure)` : '') : ''],
      ['Lead score', s.lead_score],
      ['Team', i.team ? `${i.team} · ${words(i.reason)}` : ''],
      ['Channel', s.channel || i.channel],
      ['Page', title && page ? `${title} (${page})` : title || page],
      ['Referrer', s['context.referrer']],
      ['Campaign', utm.join(', ')],
      ['Locale', s.locale],
    ]));
    const slots = Object.keys(s).filter((k) => !SHOWN.has(k) && !k.startsWith('context.')).sort();
    if (slots.length) box.append(el('h3', '', 'What the bot learned'), dl(slots.map((k) => [words(k), s[k]])));
    const id = el('p', 'id muted', 'Conversation ');
    id.append(el('code', '', i.id));
    box.append(id);
  }
  // Fills a select with [group label, [[value, text]…]] (label '': no optgroup); untouched when
  // nothing changed, so a desk update does not close a list the agent has open.
  function fillSelect(sel, groups) {
    const sig = JSON.stringify(groups), keep = sel.value;
    if (sel.dataset.sig === sig) return;
    sel.dataset.sig = sig;
    sel.textContent = '';
    for (const [label, options] of groups) {
      if (!options.length) continue;
      const parent = label ? el('optgroup', '', null, { label }) : sel;
      for (const [value, text] of options) parent.append(el('option', '', text, { value }));
      if (parent !== sel) sel.append(parent);
    }
    if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  }
  function renderActions(i) {
    const flows = list(desk.flows[i.bot]);
    fillSelect($('return-flow'), [['', [['', 'After the handoff step']]], ['Into the flow', flows.map((f) => [f, f])]]);
    fillSelect($('transfer-to'), [
      ['', [['', 'Team or colleague…']]],
      ['Teams', desk.teams.map((t) => ['team:' + t, `${t} team`])],
      ['Colleagues', desk.colleagues.filter((a) => a.id !== me.id)
        .map((a) => ['agent:' + a.id, `${a.name} (${a.status}, ${a.load} of ${a.capacity})`])],
    ]);
    fillSelect($('close-outcome'), [['', [['', 'Outcome…']]
      .concat(desk.outcomes.map((o) => [o, OUTCOMES[o] || words(o)]))]]);
  }

  // ---- the transcript
  const ROLES = { visitor: 'Visitor', bot: 'Bot', human: 'Agent', system: '' };
  function entryRow(m) {
    const role = str(m.role) in ROLES ? m.role : 'bot';
    if (role === 'system') {
      const note = el('div', 'm system');
      note.append(el('span', 'sr', 'Note: '), str(m.text));
      return note;
    }
    const self = role === 'human' && me && m.agent === me.name;
    const row = el('div', `m ${role}${self ? ' self' : ''}`), head = el('p', 'who');
    head.append(el('span', 'n', role === 'human' ? str(m.agent) || ROLES.human : ROLES[role]));
    if (m.at) head.append(' ', el('time', 'at', clock(m.at), { datetime: new Date(m.at).toISOString() }));
    row.append(head, el('p', 'b', str(m.text)));
    if (list(m.buttons).length) {
      const ul = el('ul', 'opts', null, { 'aria-label': 'Buttons offered' });
      for (const b of m.buttons) ul.append(el('li', '', str(b.label)));
      row.append(ul);
    }
    if (role === 'human') row.append(el('p', 'st'));
    return row;
  }
  // Rows are kept in seq order; my messages not acknowledged yet (no seq) stay at the end.
  function place(c, row, seq) {
    const log = c.log, atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    row.seq = seq;
    if (seq != null) c.bySeq.set(seq, row);
    let ref = null;
    for (let x = log.lastElementChild; x && seq != null; x = x.previousElementSibling) {
      if (x === row) continue;
      if (x.seq == null || x.seq > seq) ref = x;
      else break;
    }
    if (row.parentNode !== log || row.nextElementSibling !== ref) log.insertBefore(row, ref);
    if (atEnd || seq == null) log.scrollTop = log.scrollHeight;
  }
  function setStatus(c, row) {
    const st = row.querySelector('.st');
    if (st) st.textContent = row.failed || (row.seq == null ? 'Sending…' : c.seen >= row.seq ? 'Read' : 'Delivered');
  }
  function addEntry(c, m, live) {
    const seq = Number(m.seq);
    if (!(seq > 0) || c.bySeq.has(seq)) return;
    const mineNow = m.role === 'human' && m.client_id && c.pending.get(m.client_id); // my message, before its ack
    let row;
    if (mineNow) {
      row = mineNow.row;
      row.classList.remove('pending');
      c.pending.delete(m.client_id);
    } else {
      row = entryRow(m);
    }
    place(c, row, seq);
    setStatus(c, row);
    if (seq > c.maxSeq) c.maxSeq = seq;
    if (live && m.role === 'visitor') {
      c.typing = '';
      if (c.id !== selected || document.hidden) {
        c.unread++;
        if (mine(c.id)) say(`New message from the visitor: ${quote(str(m.text))}`);
        render();
      }
    }
    if (c.id === selected) { showTyping(); markSeen(c); }
  }
  function onConversation(f) {
    const c = convs.get(f.conversation);
    if (!c) return;
    c.owner = str(f.owner);
    c.loaded = true;
    if (Number(f.seen) > c.seen) c.seen = Number(f.seen); // how far the visitor has read, if the server says
    // The whole transcript (again, after a reconnect: only what is new is added). Screen readers
    // are not made to read it all out: the log is quiet while it fills.
    c.log.setAttribute('aria-live', 'off');
    for (const m of list(f.messages)) addEntry(c, m, false);
    setTimeout(() => c.log.setAttribute('aria-live', 'polite'), 500);
    for (const [id, p] of c.pending) send({ type: 'message', conversation: c.id, id, text: p.text }); // de-duplicated by id
    c.log.scrollTop = c.log.scrollHeight;
    if (c.id === selected) renderChat();
  }
  function onAck(f) {
    const c = convs.get(f.conversation), p = c && c.pending.get(f.id);
    if (!p) return;
    c.pending.delete(f.id);
    const seq = Number(f.seq), shown = c.bySeq.get(seq);
    if (shown && shown !== p.row) return p.row.remove(); // shown already (the transcript after a reconnect)
    p.row.classList.remove('pending');
    place(c, p.row, seq);
    setStatus(c, p.row);
    if (seq > c.maxSeq) c.maxSeq = seq;
  }
  function onSeen(f) {
    const c = convs.get(f.conversation), seq = Number(f.seq);
    if (!c || !(seq > c.seen)) return;
    c.seen = seq;
    for (const row of c.log.querySelectorAll('.m.human')) setStatus(c, row);
  }
  function onTyping(f) {
    const c = convs.get(f.conversation);
    if (!c) return;
    c.typing = f.on ? str(f.role) : '';
    clearTimeout(c.typingTimer);
    if (f.on) c.typingTimer = setTimeout(() => { c.typing = ''; showTyping(); }, 15000); // missed the "off"
    showTyping();
  }
  function showTyping() {
    const c = selected && convs.get(selected);
    $('typing').textContent = !c || !c.typing ? '' : c.typing === 'visitor' ? 'The visitor is typing…' : 'The bot is typing…';
  }
  // Read receipts to the visitor: only for my conversations, while I look at them.
  function markSeen(c) {
    if (!c || c.id !== selected || document.hidden || !mine(c.id) || c.maxSeq <= c.sentSeen) return;
    c.sentSeen = c.maxSeq;
    clearTimeout(seenTimer);
    seenTimer = setTimeout(() => send({ type: 'seen', conversation: c.id, seq: c.sentSeen }), 300);
  }
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    const c = selected && convs.get(selected);
    if (c && c.unread) { c.unread = 0; render(); }
    markSeen(c);
    reconnectNow();
  });

  // ---- writing to the visitor
  const text = $('compose-text');
  $('compose').onsubmit = (e) => {
    e.preventDefault();
    const c = selected && convs.get(selected), t = text.value.trim();
    if (!c || !t || !mine(c.id)) return;
    text.value = c.draft = '';
    grow();
    stopTyping();
    const id = uid(), row = entryRow({ role: 'human', agent: me.name, text: t, at: Date.now() });
    row.classList.add('pending');
    c.pending.set(id, { row, text: t });
    place(c, row, null);
    setStatus(c, row);
    send({ type: 'message', conversation: c.id, id, text: t }); // else sent again once reconnected
  };
  text.onkeydown = (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); $('compose').requestSubmit(); }
  };
  text.oninput = () => {
    grow();
    const c = selected && convs.get(selected);
    if (!c) return;
    c.draft = text.value;
    if (!typingOn && text.value && mine(c.id) && send({ type: 'typing', conversation: c.id, on: true })) typingOn = c.id;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 3000);
  };
  text.onblur = stopTyping;
  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingOn) send({ type: 'typing', conversation: typingOn, on: false });
    typingOn = null;
  }
  function grow() {
    text.style.height = 'auto';
    text.style.height = Math.min(text.scrollHeight + 2, 200) + 'px';
  }

  // ---- start: the desk if the session cookie still holds, else the login form
  (async () => {
    try {
      const r = await fetch('/agent/api/me');
      const body = r.ok ? await r.json() : null;
      if (body && body.agent) return enterDesk(body.agent);
    } catch (x) { /* not logged in, or the server is away: the form says so on submit */ }
    showLogin('');
  })();
})();
