// Browser test of the web widget: `rapport serve` with examples/cx-opener, the demo page in
// Debian's Chromium (driven by playwright-core), a short conversation with buttons and free
// text, a reload that resumes it, HTML injection shown as text, basic accessibility, the
// proactive opener and how closing the widget stops it.
//
//   node tests/browser/widget.test.mjs <path to the rapport binary>
//
// Registered with CTest by tests/browser/CMakeLists.txt. No timing assertions: every step waits
// for a condition, with generous timeouts.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import {
  BROWSER_ARGS, RapportServer, WAIT, binaryArg, chromiumPath, guard, loadChromium, log, repo, widgetTranscript as transcript,
} from './support.mjs';

const binary = binaryArg('widget.test.mjs');
const chromium = await loadChromium();

const tmp = mkdtempSync(join(tmpdir(), 'rapport-browser-'));
const server = new RapportServer(binary);
let context = null;
let brandSite = null; // another origin embedding the widget (allowed in server.allowed_origins)

async function cleanup() {
  if (context) await context.close().catch(() => {});
  context = null;
  await stopServer().catch(() => {});
  if (brandSite) brandSite.close();
  brandSite = null;
  rmSync(tmp, { recursive: true, force: true });
}
guard(cleanup, 90, () => `--- rapport serve output ---\n${server.output}`);

// ---- the server --------------------------------------------------------------------------------

// A brand's site on another origin: a pricing page embedding the widget from the Rapport server
// with a greeting delay (1 second, or ?delay=N) and its accent colour spelled data-colour, under a
// strict Content-Security-Policy (no inline styles, Trusted Types): the widget needs only
// script-src and connect-src for its server. /blank is a page without the widget.
let brandOrigin = '';
let rapportBase = '';
async function startBrandSite() {
  brandSite = createServer((req, res) => {
    const url = new URL(req.url, 'http://brand');
    if (url.pathname === '/blank') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="en"><head><title>Blank</title><link rel="icon" href="data:,"></head><body></body></html>');
      return;
    }
    if (url.pathname !== '/pricing') {
      res.writeHead(404).end();
      return;
    }
    const delay = Number(url.searchParams.get('delay')) || 1;
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; img-src data:; script-src ${rapportBase}; ` +
        `connect-src ${rapportBase.replace(/^http/, 'ws')}; require-trusted-types-for 'script'`,
    });
    res.end('<!doctype html><html lang="en"><head><title>Pricing</title><link rel="icon" href="data:,"></head>' +
      '<body><h1>Pricing</h1><script src="' + rapportBase + '/widget.js" data-bot="cx-opener" ' +
      `data-title="Chat with Halyard" data-greeting-delay="${delay}" data-position="left" ` +
      'data-colour="#b45309" async></script></body></html>');
  });
  await new Promise((r) => brandSite.listen(0, '127.0.0.1', r));
  brandOrigin = `http://127.0.0.1:${brandSite.address().port}`;
}

// Starts `rapport serve` on `port` (0: any free one) with the test's data directory; resolves to
// its base URL once /readyz answers 200.
async function startServer(port = 0) {
  const config = join(tmp, 'rapport.yaml');
  writeFileSync(config, [
    'server:',
    '  address: 127.0.0.1',
    `  port: ${port}`,
    `  allowed_origins: [${JSON.stringify(brandOrigin)}]`,
    `data_dir: ${JSON.stringify(join(tmp, 'data'))}`,
    'bots:',
    `  - ${JSON.stringify(join(repo, 'examples', 'cx-opener'))}`,
    '',
  ].join('\n'));
  return server.start(config);
}
const stopServer = () => server.stop();

// ---- helpers on the page -----------------------------------------------------------------------

function activeInWidget(page) {
  return page.evaluate(() => {
    const host = document.querySelector('rapport-widget');
    const a = host.shadowRoot.activeElement;
    return {
      outer: document.activeElement === host ? 'widget' : document.activeElement && document.activeElement.tagName,
      tag: a && a.tagName.toLowerCase(),
      label: a && (a.getAttribute('aria-label') || (a.labels && a.labels[0] && a.labels[0].textContent)),
    };
  });
}

// The launcher's background: the accent colour.
function accent(launcher) {
  return launcher.evaluate((el) => getComputedStyle(el).backgroundColor);
}

async function waitForBot(page, text) {
  await page.getByRole('log').getByText(text, { exact: false }).first().waitFor({ timeout: WAIT });
}

// The conversation as the server has it (REST API, with the token the widget stored).
async function serverTranscript(page) {
  const { conversation, token } = await page.evaluate(() => JSON.parse(localStorage.getItem('rapport:cx-opener')));
  const res = await fetch(`${rapportBase}/api/v1/conversations/${conversation}/transcript`,
    { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `GET transcript: ${res.status}`);
  return (await res.json()).messages.map((m) => ({ role: m.role, text: m.text, pending: false }));
}

// Waits until the widget shows exactly the server's transcript — every message once, in order,
// none waiting for an ack, no paced message still behind the typing indicator — and returns it.
async function settle(page) {
  const deadline = Date.now() + WAIT;
  let shown, stored;
  for (;;) {
    shown = await transcript(page);
    stored = await serverTranscript(page);
    const typing = await page.evaluate(() => !!document.querySelector('rapport-widget').shadowRoot.querySelector('.t i'));
    if (!typing && JSON.stringify(shown) === JSON.stringify(stored)) return shown;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual(shown, stored, 'the widget shows the server\'s transcript, each message once');
  throw new Error('the typing indicator stayed on');
}

// ---- the test ----------------------------------------------------------------------------------

async function main() {
  await startBrandSite();
  const base = rapportBase = await startServer();
  log(`server on ${base}`);

  context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: BROWSER_ARGS,
  });
  const page = context.pages()[0] || (await context.newPage());
  currentPage = page;
  const dialogs = [];
  const errors = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => errors.push(String(e)));
  // Chromium logs the refused connections while the server restarts; anything else is an error.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^WebSocket connection to .* failed/.test(m.text())) errors.push(m.text());
  });

  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('ws' + base.slice(4))) foreign.push(r.url()); });
  await page.goto(`${base}/`);
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: WAIT });
  log('demo page loaded');

  // The launcher: a real button with an accessible name; opened with the keyboard.
  const launcher = page.getByRole('button', { name: /^Chat with Halyard/ });
  await launcher.waitFor({ timeout: WAIT });
  assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
  assert.equal(await accent(launcher), 'rgb(15, 118, 110)', 'data-color sets the accent colour');
  await launcher.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Chat with Halyard' });
  await dialog.waitFor({ state: 'visible', timeout: WAIT });
  assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
  const focused = await activeInWidget(page);
  assert.equal(focused.tag, 'textarea', 'focus moves into the dialog on open');
  assert.equal(focused.label, 'Your message', 'the input has a label');
  const logRegion = page.getByRole('log');
  assert.equal(await logRegion.getAttribute('aria-live'), 'polite');
  log('widget opened with the keyboard; dialog, log and labelled input present');

  // The opener: a question with buttons.
  await waitForBot(page, 'What brought you here today?');
  const choice = dialog.getByRole('button', { name: 'Exploring analytics tools' });
  await choice.waitFor({ timeout: WAIT });
  assert.ok(await dialog.getByRole('button', { name: 'Something isn\'t working' }).isEnabled());
  log('opener with buttons shown');

  await choice.click();
  await waitForBot(page, 'What do you use today to see how people use your product?');
  assert.ok(await choice.isDisabled(), 'buttons are disabled after a click');
  assert.equal(await choice.getAttribute('aria-pressed'), 'true');
  log('button click answered');

  const input = dialog.getByRole('textbox', { name: 'Your message' });
  await input.fill('we export CSVs into Google Sheets');
  await input.press('Enter');
  await waitForBot(page, 'Spreadsheets take you a long way');
  const before = await settle(page);
  log('free text answered');

  assert.deepEqual(before.map((m) => m.role), ['bot', 'visitor', 'bot', 'visitor', 'bot']);
  assert.equal(before[1].text, 'Exploring analytics tools');
  assert.equal(before[3].text, 'we export CSVs into Google Sheets');

  // Reload: the conversation is resumed, the same messages, none twice; and it goes on.
  await page.reload();
  await dialog.waitFor({ state: 'visible', timeout: WAIT }); // it was open: it stays open in this visit
  const after = await settle(page);
  assert.deepEqual(after, before, 'the resumed conversation shows the same messages, once each');
  assert.ok(await dialog.getByRole('button', { name: 'Exploring analytics tools' }).isDisabled(),
    'answered buttons stay disabled after a reload');
  log(`conversation resumed after reload (${after.length} messages)`);

  await input.fill('which features make people come back after the first week');
  await input.press('Enter');
  await waitForBot(page, 'Would it help to see how you');
  await settle(page);
  log('conversation continued after reload');

  // The server restarts (SIGTERM: WebSockets closed with 1001 "service restart"). A click while
  // it is away is kept, re-sent after the widget reconnects, and processed once.
  await stopServer();
  await dialog.getByText('Reconnecting…').waitFor({ timeout: WAIT });
  await dialog.getByRole('button', { name: 'Yes' }).click();
  assert.equal((await transcript(page)).at(-1).pending, true, 'the message waits for its ack');
  await startServer(Number(new URL(base).port));
  log('server restarted');
  await waitForBot(page, 'Happy to set up a demo');
  const resent = await settle(page);
  assert.equal(resent.filter((m) => m.role === 'visitor' && m.text === 'Yes').length, 1);
  log('reconnected with backoff; the offline click was re-sent once');

  // HTML in a message is shown as text: no element, no script, no dialog.
  const attack = '<img src=x onerror=alert(1)>';
  await input.fill(attack);
  await input.press('Enter');
  await page.waitForFunction(() => {
    const rows = [...document.querySelector('rapport-widget').shadowRoot.querySelectorAll('[role=log] > .m:not(.note)')];
    return rows.length && !rows.at(-1).classList.contains('visitor'); // the bot answered it
  }, null, { timeout: WAIT });
  await settle(page);
  const check = async () => {
    const rows = await transcript(page);
    assert.ok(rows.some((m) => m.role === 'visitor' && m.text === attack), 'the message shows as literal text');
    const imgs = await page.evaluate(() =>
      document.querySelectorAll('img').length + document.querySelector('rapport-widget').shadowRoot.querySelectorAll('img').length);
    assert.equal(imgs, 0, 'no img element was created');
    assert.deepEqual(dialogs, [], 'no dialog was opened');
    return rows;
  };
  await check();
  // And as replayed by the server after another reload.
  const beforeSecond = await transcript(page);
  await page.reload();
  await dialog.waitFor({ state: 'visible', timeout: WAIT });
  await settle(page);
  const replayed = await check();
  assert.deepEqual(replayed, beforeSecond, 'the second reload resumes the same messages too');
  log('HTML injection rendered as text, live and replayed');

  // Escape closes the dialog and returns focus to the launcher.
  await input.focus();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: WAIT });
  const back = await activeInWidget(page);
  assert.equal(back.outer, 'widget');
  assert.equal(back.tag, 'button');
  assert.match(back.label || '', /^Chat with Halyard/, 'focus returns to the launcher');
  assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
  log('Escape closes the dialog; focus back on the launcher');

  // The proactive opener, on a brand's pricing page on another origin (a fresh visit) with a
  // 1-second greeting delay: a teaser with the bot's question next to the launcher; clicking it opens the conversation.
  const pricing = await context.newPage();
  pricing.on('pageerror', (e) => errors.push(String(e)));
  pricing.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); }); // CSP violations too
  pricing.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await pricing.goto(`${brandOrigin}/pricing`);
  const teaser = pricing.getByRole('button', { name: /Weighing up plans\?/ });
  await teaser.waitFor({ timeout: WAIT });
  await pricing.getByRole('button', { name: 'Chat with Halyard, 1 unread message' }).waitFor({ timeout: WAIT });
  await teaser.click();
  const pricingDialog = pricing.getByRole('dialog', { name: 'Chat with Halyard' });
  await pricingDialog.waitFor({ state: 'visible', timeout: WAIT });
  await pricingDialog.getByRole('button', { name: 'Which plan fits my team' }).waitFor({ timeout: WAIT });
  assert.equal((await transcript(pricing)).length, 1, 'one proactive message, no opener on top of it');
  assert.equal(await accent(pricing.getByRole('button', { name: /^Chat with Halyard/ })), 'rgb(180, 83, 9)',
    'data-colour sets the accent colour too');
  log('proactive opener after the greeting delay, shown as a teaser, opened by a click');

  await closingStopsTheProactiveOpener({ errors, dialogs });

  assert.deepEqual(dialogs, [], 'no dialog was opened');
  assert.deepEqual(errors, [], 'no errors in the pages');
  assert.deepEqual(foreign, [], 'the demo page loads nothing from other servers');
}

// Closing the widget stops the proactive opener for the rest of the visit, reloads included: on
// fresh visits (a new tab, the brand site's storage cleared) of a page with a 30-second greeting
// delay. The pages' clock is Playwright's, so the delay passes at once (fastForward) instead of
// being waited for, and each check runs after the widget's greeting timer has fired.
async function closingStopsTheProactiveOpener({ errors, dialogs }) {
  const first = await context.newPage();
  for (const p of context.pages()) if (p !== first) await p.close(); // done with; the clock is per context
  await context.clock.install();

  async function freshVisit(tab) {
    currentPage = tab;
    tab.on('pageerror', (e) => errors.push(String(e)));
    tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    tab.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    const visit = { tab, sockets: 0, proactiveSent: 0 };
    tab.on('websocket', (ws) => {
      visit.sockets += 1;
      ws.on('framesent', (f) => { if (/"name":"proactive"/.test(String(f.payload))) visit.proactiveSent += 1; });
    });
    await tab.goto(`${brandOrigin}/blank`); // same origin, no widget: forget earlier visits
    await tab.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
    await tab.goto(`${brandOrigin}/pricing?delay=30`);
    await tab.getByRole('button', { name: /^Chat with Halyard/ }).waitFor({ timeout: WAIT });
    return visit;
  }
  // Past the greeting delay: no proactive message was asked for, no teaser, no unread badge.
  async function noProactiveOpener(visit, what) {
    const { tab } = visit;
    await tab.clock.fastForward('00:40');
    await tab.evaluate(() => new Promise((r) => setTimeout(r, 0))); // whatever the timer started has run
    assert.equal(visit.proactiveSent, 0, `${what}: no proactive event was sent`);
    assert.equal(await tab.getByRole('button', { name: /Weighing up plans/ }).count(), 0, `${what}: no teaser`);
    await tab.getByRole('button', { name: 'Chat with Halyard', exact: true }).waitFor({ timeout: WAIT });
  }

  // A visitor opens the widget before the delay, sees the opener question and closes it.
  const opened = await freshVisit(first);
  const { tab } = opened;
  await tab.getByRole('button', { name: /^Chat with Halyard/ }).click();
  await waitForBot(tab, 'What brought you here today?');
  await tab.getByRole('button', { name: 'Close chat' }).click();
  const dialog = tab.getByRole('dialog', { name: 'Chat with Halyard' });
  await dialog.waitFor({ state: 'hidden', timeout: WAIT });
  await noProactiveOpener(opened, 'after closing');
  await tab.reload();
  await noProactiveOpener(opened, 'after closing and a reload');
  assert.ok(await dialog.isHidden(), 'the widget stays closed after the reload');
  // Opened again: the conversation, here and on the server, is the opener alone.
  await tab.getByRole('button', { name: /^Chat with Halyard/ }).click();
  await dialog.waitFor({ state: 'visible', timeout: WAIT });
  const shown = await settle(tab);
  assert.deepEqual(shown.map((m) => m.role), ['bot'], 'no proactive message in the conversation');
  assert.match(shown[0].text, /What brought you here today\?/);
  log('closing the widget before the greeting delay: no proactive opener, after a reload neither');

  // Closed by the page's own script before the visitor ever opened it: nothing at all, not even a
  // connection to the server, in this visit.
  const next = await context.newPage();
  await tab.close(); // its widget would store its conversation again
  const scripted = await freshVisit(next);
  await scripted.tab.evaluate(() => window.RapportWidget['cx-opener'].close());
  await noProactiveOpener(scripted, 'after RapportWidget.close()');
  await scripted.tab.reload();
  await noProactiveOpener(scripted, 'after RapportWidget.close() and a reload');
  assert.equal(scripted.sockets, 0, 'the widget never connected');
  log('closed from the page\'s script: no proactive opener, no connection');
}

let failed = false;
let currentPage = null;
try {
  await main();
  log('PASS');
} catch (e) {
  failed = true;
  console.error(e);
  if (currentPage) {
    const rows = await Promise.race([transcript(currentPage).catch((x) => String(x)),
      new Promise((r) => setTimeout(() => r('(page not responding)'), 3000))]);
    console.error('--- the widget\'s transcript ---\n' + JSON.stringify(rows, null, 1));
  }
  if (server.output) console.error(`--- rapport serve output ---\n${server.output}`);
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
