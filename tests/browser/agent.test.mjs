// Browser test of the agent console: `rapport serve` with a handoff section and an agent made with
// `rapport agents add`; two Chromium pages — a visitor on the demo page with the widget
// (examples/cx-opener) and the agent in the console at /agent. The agent logs in (a wrong password
// first), the visitor asks for pricing, the conversation is offered to the agent, who accepts it
// with the keyboard; they chat both ways (typing indicators, read receipts), HTML is shown as text
// on both sides, both pages reconnect after a server restart, and the agent closes the
// conversation with an outcome.
//
//   node tests/browser/agent.test.mjs <path to the rapport binary>
//
// Registered with CTest by tests/browser/CMakeLists.txt. No timing assertions: every step waits
// for a condition, with generous timeouts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import {
  BROWSER_ARGS, RapportServer, WAIT, binaryArg, chromiumPath, guard, loadChromium, log, repo, widgetTranscript,
} from './support.mjs';

const binary = binaryArg('agent.test.mjs');
const chromium = await loadChromium();

const tmp = mkdtempSync(join(tmpdir(), 'rapport-agent-'));
const server = new RapportServer(binary);
const PASSWORD = 'correct horse battery staple';
const ATTACK = '<img src=x onerror=alert(1)>';
let browser = null;

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  browser = null;
  await server.stop().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
}
guard(cleanup, 90, () => `--- rapport serve output ---\n${server.output}`);

// ---- the server --------------------------------------------------------------------------------

// handoff.public_url names the server's own origin, so the port is chosen first.
function freePort() {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolvePort(port));
    });
  });
}

function writeConfig(port) {
  const config = join(tmp, 'rapport.yaml');
  writeFileSync(config, [
    'server:',
    '  address: 127.0.0.1',
    `  port: ${port}`,
    `data_dir: ${JSON.stringify(join(tmp, 'data'))}`,
    'bots:',
    `  - ${JSON.stringify(join(repo, 'examples', 'cx-opener'))}`,
    'handoff:',
    `  public_url: http://127.0.0.1:${port}`,
    '  reconnect_grace: 60s',
    '  offer_timeout: 30s',
    '  teams:',
    '    sales:', // no hours: always open
    '      assignment: round_robin',
    '      wait_limit: 3m',
    '    support: {wait_limit: 5m}',
    '',
  ].join('\n'));
  return config;
}

// A `rapport` command that must succeed; its standard output.
function rapport(args, input) {
  const r = spawnSync(binary, args, { cwd: repo, input, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, `rapport ${args.join(' ')} exited with ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

// ---- helpers on the pages ----------------------------------------------------------------------

// Dialogs, script errors and console errors of a page. Chromium logs the 401 of the console's
// session check and of the wrong password, and refused connections while the server restarts.
const EXPECTED = /status of 401|^WebSocket connection to .* failed|net::ERR_CONNECTION_REFUSED/;
function watch(page, dialogs, errors) {
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !EXPECTED.test(m.text())) errors.push(m.text()); });
}

// The console's open conversation: [{role, who, text, status}] in page order.
function consoleTranscript(page) {
  return page.evaluate(() => [...document.querySelectorAll('#log-slot [role=log] > .m')].map((row) => {
    const role = row.classList[1];
    if (role === 'system') return { role, text: row.textContent.replace(/^Note: /, '') };
    return {
      role,
      who: row.querySelector('.who .n').textContent,
      text: row.querySelector('.b').textContent,
      status: row.querySelector('.st') ? row.querySelector('.st').textContent : undefined,
    };
  }));
}

// No element was made from a message's HTML: no img in the page (nor in the widget's shadow root).
function images(page) {
  return page.evaluate(() => {
    const host = document.querySelector('rapport-widget');
    return document.querySelectorAll('img').length + (host ? host.shadowRoot.querySelectorAll('img').length : 0);
  });
}

const widgetTyping = (page) => page.waitForFunction(
  () => /is typing/.test(document.querySelector('rapport-widget').shadowRoot.querySelector('.t').textContent),
  null, { timeout: WAIT });

async function waitForWidget(page, role, text) {
  await page.waitForFunction(({ role, text }) => {
    const rows = [...document.querySelector('rapport-widget').shadowRoot.querySelectorAll('[role=log] > .m')];
    return rows.some((r) => r.classList.contains(role) && r.textContent.includes(text));
  }, { role, text }, { timeout: WAIT });
}

// ---- the test ----------------------------------------------------------------------------------

async function main() {
  const port = await freePort();
  const config = writeConfig(port);
  rapport(['agents', 'add', 'ana', '--name', 'Ana', '--teams', 'sales,support', '--capacity', '3', '--config', config],
    PASSWORD + '\n');
  assert.match(rapport(['agents', 'list', '--config', config]), /\bana\b.*\bAna\b/s, 'agents list shows the new agent');
  const base = await server.start(config);
  log(`server on ${base}; agent ana added`);

  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: BROWSER_ARGS });
  const dialogs = [], errors = [];
  const agent = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const visitor = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  watch(agent, dialogs, errors);
  watch(visitor, dialogs, errors);

  // ---- logging in: a wrong password first
  const res = await agent.goto(`${base}/agent/`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-security-policy'] || '', /default-src 'self'/, 'the console is served with a strict CSP');
  await agent.getByRole('textbox', { name: 'Agent name' }).fill('ana');
  await agent.getByLabel('Password').fill('not the password');
  await agent.getByRole('button', { name: 'Log in' }).click();
  await agent.getByRole('alert').getByText('Wrong agent name or password.').waitFor({ timeout: WAIT });
  assert.equal(await agent.getByRole('main', { name: 'Agent console' }).isVisible(), true, 'still on the login form');
  log('a wrong password shows an error');

  await agent.getByLabel('Password').fill(PASSWORD);
  await agent.getByLabel('Password').press('Enter');
  const banner = agent.getByRole('banner');
  await banner.getByText('Ana · sales, support').waitFor({ timeout: WAIT });
  await agent.getByRole('radio', { name: 'Online' }).and(agent.locator(':checked')).waitFor({ timeout: WAIT });
  for (const [role, name] of [['navigation', 'Conversations'], ['main', 'No conversation open'], ['complementary', 'Summary']]) {
    assert.equal(await agent.getByRole(role, { name }).count(), 1, `a ${role} landmark named ${name}`);
  }
  log('logged in: the desk, online');

  // ---- the visitor asks for pricing and is handed over
  await visitor.goto(`${base}/`);
  await visitor.getByRole('button', { name: /^Chat with Halyard/ }).click();
  const widget = visitor.getByRole('dialog', { name: 'Chat with Halyard' });
  const widgetInput = widget.getByRole('textbox', { name: 'Your message' });
  await widget.getByText('What brought you here today?').waitFor({ timeout: WAIT });
  await widgetInput.fill('Can you tell me about pricing?');
  await widgetInput.press('Enter');
  await widget.getByText('Roughly how many people would use Halyard?').waitFor({ timeout: WAIT });
  await widgetInput.fill('about 40');
  await widgetInput.press('Enter');
  await widget.getByText('bringing in someone from our sales team').waitFor({ timeout: WAIT });
  log('the visitor asked for pricing: handed to sales');

  // ---- the agent: offered to them, opened, accepted with the keyboard
  const queue = agent.getByRole('navigation').getByRole('listitem').filter({ hasText: 'Offered to you' });
  await queue.waitFor({ timeout: WAIT });
  await queue.getByText('“Can you tell me about pricing?”').waitFor({ timeout: WAIT });
  await queue.getByText(/waiting \d+ (s|min)/).waitFor({ timeout: WAIT });
  await queue.getByRole('button', { name: /sales · qualified lead/ }).click();
  const side = agent.getByRole('complementary');
  await side.getByText('“Can you tell me about pricing?”').waitFor({ timeout: WAIT }); // what brought them
  await side.getByText(/^pricing/).first().waitFor({ timeout: WAIT }); // the intent
  const chat = agent.getByRole('main');
  const shownLog = chat.getByRole('log');
  await shownLog.getByText('Can you tell me about pricing?').waitFor({ timeout: WAIT }); // the transcript so far
  await chat.getByRole('button', { name: 'Accept' }).focus();
  await agent.keyboard.press('Enter');
  await visitor.getByRole('log').getByText('Ana has joined the conversation.').waitFor({ timeout: WAIT });
  await agent.getByRole('navigation').getByRole('region', { name: /My conversations/ })
    .getByRole('button', { name: /sales · qualified lead/ }).waitFor({ timeout: WAIT });
  const compose = agent.getByRole('textbox', { name: 'Message to the visitor' });
  await compose.waitFor({ timeout: WAIT });
  await agent.waitForFunction(() => document.activeElement.id === 'compose-text', null, { timeout: WAIT }); // focus moved there
  log('offered, opened (summary and transcript), accepted; the visitor sees that Ana joined');

  // ---- chatting both ways, typing indicators seen on the other side
  let typing = widgetTyping(visitor);
  await agent.keyboard.type("Hi, I'm Ana from sales. Happy to help with pricing.", { delay: 20 });
  await typing;
  await agent.keyboard.press('Enter');
  await waitForWidget(visitor, 'human', "Hi, I'm Ana from sales.");
  const human = (await widgetTranscript(visitor)).filter((m) => m.role === 'human');
  assert.deepEqual(human.map((m) => m.text), ["Hi, I'm Ana from sales. Happy to help with pricing."]);
  assert.equal(await visitor.getByRole('log').locator('.human .n').first().textContent(), 'Ana', 'the agent\'s name over their message');
  log('agent → visitor; the visitor saw the agent typing');

  typing = agent.getByText('The visitor is typing…').waitFor({ timeout: WAIT });
  await widgetInput.pressSequentially('What would 40 seats cost?', { delay: 20 });
  await typing;
  await widgetInput.press('Enter');
  await shownLog.getByText('What would 40 seats cost?').waitFor({ timeout: WAIT });
  log('visitor → agent; the agent saw the visitor typing');

  // ---- HTML in messages is text on both sides
  await widgetInput.fill(ATTACK);
  await widgetInput.press('Enter');
  await shownLog.getByText(ATTACK, { exact: true }).waitFor({ timeout: WAIT });
  await compose.fill(`${ATTACK} is what you typed`);
  await compose.press('Enter');
  await waitForWidget(visitor, 'human', `${ATTACK} is what you typed`);
  assert.equal(await images(agent), 0, 'no img element in the console');
  assert.equal(await images(visitor), 0, 'no img element in the widget');
  assert.deepEqual(dialogs, [], 'no dialog was opened');
  log('HTML from the visitor and from the agent shows as text');

  // ---- read receipts: the agent sees "Read" under their messages, the visitor under theirs
  await shownLog.locator('.m.human.self').last().getByText('Read', { exact: true }).waitFor({ timeout: WAIT });
  await visitor.getByRole('log').getByText('Read', { exact: true }).waitFor({ timeout: WAIT });
  const shown = await consoleTranscript(agent);
  assert.deepEqual(shown.filter((m) => m.role === 'human').map((m) => [m.who, m.status]),
    [['Ana', 'Read'], ['Ana', 'Read']], 'both of the agent\'s messages were read');
  assert.ok(shown.some((m) => m.role === 'system' && m.text === 'Ana has joined the conversation.'));
  log('read receipts both ways');

  // ---- the server restarts (1001 "service restart"): both reconnect; the conversation is still Ana's
  await server.stop();
  await banner.getByText(/Reconnecting/).waitFor({ timeout: WAIT });
  await server.start(config);
  await agent.waitForFunction(() => document.getElementById('conn').textContent === '', null, { timeout: WAIT });
  await compose.fill('Still here after a blip.');
  await compose.press('Enter');
  await waitForWidget(visitor, 'human', 'Still here after a blip.');
  assert.equal((await consoleTranscript(agent)).filter((m) => m.text === 'Still here after a blip.').length, 1);
  log('server restarted: console and widget reconnected, the conversation stayed with Ana');

  // ---- closing with an outcome
  await side.getByLabel('Close with outcome').selectOption({ label: 'Qualified lead' });
  await side.getByRole('button', { name: 'Close', exact: true }).click();
  await agent.getByRole('status').getByText('Closed: Qualified lead.').waitFor({ timeout: WAIT });
  await agent.getByText('None yet. Accept one from the queue.').waitFor({ timeout: WAIT });
  await chat.getByText('This conversation has ended.').waitFor({ timeout: WAIT });
  await visitor.getByRole('log').getByText('This conversation has ended.').waitFor({ timeout: WAIT });
  log('closed as a qualified lead; the visitor sees that it ended');

  await agent.getByRole('button', { name: 'Log out' }).click();
  await agent.getByText('You have logged out.').waitFor({ timeout: WAIT });
  assert.equal((await agent.request.get(`${base}/agent/api/me`)).status(), 401, 'the session is gone');
  log('logged out');

  assert.deepEqual(dialogs, [], 'no dialog was opened');
  assert.deepEqual(errors, [], 'no errors in the pages');
}

let failed = false;
try {
  await main();
  log('PASS');
} catch (e) {
  failed = true;
  console.error(e);
  if (server.output) console.error(`--- rapport serve output ---\n${server.output}`);
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
