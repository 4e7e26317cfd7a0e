// Starts `pum demo` as a plain process on a free port and a headless system Chromium.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');

/** Path of the `pum` binary: $PUM_BIN, else the shared cargo target dir. */
export function pumBinary() {
  if (process.env.PUM_BIN) return process.env.PUM_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'pum-target');
  return join(target, 'debug', 'pum');
}

/** The demo owner's password in end-to-end runs. */
export const ADMIN_PASSWORD = 'e2e demo password';

/**
 * Runs `pum demo` and resolves once it prints its URL. With `{ setup: true }` no owner is
 * seeded (the wizard runs) and Plex sign-ins wait for an account to be chosen. `env` adds
 * environment variables (for example `PUM_DISCORD_URL` for a Discord stand-in).
 */
export async function startDemo({ setup = false, env = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'pum-e2e-'));
  const args = ['demo', '--bind', '127.0.0.1:0', '--data-dir', dataDir];
  args.push(...(setup ? ['--setup'] : ['--admin-password', ADMIN_PASSWORD]));
  const child = spawn(pumBinary(), args, {
    cwd: root,
    env: { ...process.env, PUM_WEB_DIR: join(root, 'frontend', 'dist'), PUM_LOG: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const { url, plexTv } = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`pum demo did not start:\n${stderr}`)), 30_000);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/running at (http:\/\/\S+)/);
      const tv = out.match(/simulated plex\.tv: (http:\/\/\S+)/);
      if (match && tv) {
        clearTimeout(timer);
        resolveUrl({ url: match[1].replace(/\/$/, ''), plexTv: tv[1].replace(/\/$/, '') });
      }
    });
    child.on('exit', (code) => reject(new Error(`pum demo exited with ${code}:\n${stderr}`)));
  });
  return {
    url,
    /** The simulated plex.tv, whose `/__sim/accounts/{id}` shows what "Plex" holds. */
    plexTv,
    async stop() {
      const exited = new Promise((done) => child.on('exit', done));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
      // Kept for diagnosis: e2e/test-results/pum-demo.log (ignored by git).
      const results = join(root, 'e2e', 'test-results');
      mkdirSync(results, { recursive: true });
      writeFileSync(join(results, 'pum-demo.log'), stderr);
    },
  };
}

/** Headless Debian Chromium; never a downloaded browser. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A page that records console errors and uncaught exceptions. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  return { context, page, problems };
}

/** Signs in as the demo owner in a new context and returns its storage state. */
export async function signedInState(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  const state = await context.storageState();
  await context.close();
  return state;
}
