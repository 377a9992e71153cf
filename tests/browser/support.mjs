// What the browser tests share: the binary from the command line, skipping when Chromium or
// playwright-core is missing, `rapport serve` as a child process, the browser's flags, logging
// and a watchdog that cleans up before CTest's timeout.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
export const WAIT = 15_000; // per condition
// Debian's Chromium, headless, without anything that talks to other servers.
export const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const started = Date.now();
export function log(msg) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
}

// The rapport binary: the first argument (or RAPPORT_BIN), relative to the current directory.
export function binaryArg(script) {
  const binary = process.argv[2] || process.env.RAPPORT_BIN;
  if (!binary) {
    console.error(`usage: node ${script} <path to the rapport binary>`);
    process.exit(2);
  }
  return resolve(binary);
}

// playwright-core's chromium. Without the browser or playwright-core the test is skipped (CTest:
// SKIP_RETURN_CODE 77), unless RAPPORT_REQUIRE_BROWSER=1 (CI) makes that a failure.
export async function loadChromium() {
  const missing = (what) => {
    console.error(`${what}; the browser test is skipped`);
    process.exit(process.env.RAPPORT_REQUIRE_BROWSER === '1' ? 1 : 77);
  };
  if (!existsSync(chromiumPath)) missing(`${chromiumPath} not found (apt-get install chromium)`);
  try {
    return (await import('playwright-core')).chromium;
  } catch {
    return missing(`playwright-core is not installed (run npm ci in ${here})`);
  }
}

// Cleans up on failures outside the main flow too: Ctrl-C, and a watchdog that fires well before
// CTest's timeout (which would kill this process and leave the server running).
export function guard(cleanup, seconds, details) {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => cleanup().finally(() => process.exit(1)));
  }
  setTimeout(() => {
    console.error(`the test did not finish within ${seconds} s\n${details()}`);
    cleanup().finally(() => process.exit(1));
  }, seconds * 1000).unref();
}

// `rapport serve` as a child process; `output` collects what it printed in every run.
export class RapportServer {
  constructor(binary) {
    this.binary = binary;
    this.process = null;
    this.output = '';
  }

  // Starts it with a config file; resolves to its base URL once /readyz answers 200.
  async start(config) {
    const from = this.output.length; // this run's output starts here
    const child = this.process = spawn(this.binary, ['serve', '--config', config], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const base = await new Promise((resolveBase, reject) => {
      const timer = setTimeout(() => reject(new Error(`rapport serve did not start:\n${this.output}`)), 30_000);
      const onData = (chunk) => {
        this.output += chunk;
        const m = /on (http:\/\/[^\s]+:\d+)/.exec(this.output.slice(from));
        if (m) {
          clearTimeout(timer);
          resolveBase(m[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`rapport serve exited with ${code}:\n${this.output}`)));
      child.once('error', (e) => reject(new Error(`rapport serve could not be started: ${e.message}`)));
    });
    for (let i = 0; ; ++i) {
      try {
        const res = await fetch(`${base}/readyz`);
        if (res.ok) break;
      } catch { /* not listening yet */ }
      if (i > 100) throw new Error(`${base}/readyz never became ready:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return base;
  }

  // SIGTERM (WebSockets are closed with 1001 "service restart"), SIGKILL after 10 s.
  async stop() {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

// The web widget's transcript as the visitor sees it: [{role, text, pending}] in page order.
export function widgetTranscript(page) {
  return page.evaluate(() => {
    const root = document.querySelector('rapport-widget').shadowRoot;
    return [...root.querySelectorAll('[role=log] > .m:not(.note)')].map((row) => {
      const bubble = row.querySelector('.b');
      const sr = bubble && bubble.querySelector('.sr');
      const text = bubble ? bubble.textContent.slice(sr ? sr.textContent.length : 0) : row.textContent;
      return { role: row.className.replace(/^m /, '').replace(/ pending$/, ''), text, pending: row.classList.contains('pending') };
    });
  });
}
