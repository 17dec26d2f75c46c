// What an attacker, a careless client or a hostile page can do to the production
// server: headers on every kind of answer, the login redirect, throttling, large bodies
// from strangers (measured as the server's memory), server actions without a session
// or from another site, values that would poison downloads, and ids out of range.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SESSION_COOKIE } from '@/lib/web/session';
import { queryDatabase } from './support/db';
import { logInThroughForm } from './support/login';
import { launchBrowser, exploreChart } from './browser';
import { startServer, type Server } from './global-setup';

const baseUrl = inject('baseUrl');
const pristineUrl = inject('pristineUrl');
const token = inject('editorToken');
const writesDb = inject('databaseUrl');
const bearer = { Authorization: `Bearer ${token}` };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** Collects Content-Security-Policy violations and script errors on a page. */
async function watchPage(context: BrowserContext) {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`Refused to load: CSP ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return { page, problems };
}

const NONCE_POLICY =
  /^default-src 'self'; script-src 'self' 'nonce-([A-Za-z0-9+/=]{24})' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'$/;

describe('security headers', () => {
  it('are on a page, with a fresh nonce that Next.js puts on its scripts', async () => {
    const nonces = new Set<string>();
    for (const pagePath of ['/login', '/indicators/population-density']) {
      const res = await fetch(`${pristineUrl}${pagePath}`);
      expect(res.status).toBe(200);
      const policy = res.headers.get('content-security-policy') ?? '';
      const nonce = NONCE_POLICY.exec(policy)?.[1];
      expect(nonce, policy).toBeDefined();
      nonces.add(nonce!);
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(3);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe(
        // The login URL may carry the token.
        pagePath === '/login' ? 'same-origin' : 'strict-origin-when-cross-origin',
      );
    }
    expect(nonces.size).toBe(2);
  });

  // Browsers ask for /favicon.ico on their own; a 404 there was an error in every
  // fresh browser's console.
  it('leave the icon every browser asks for to be served, and pages name it', async () => {
    const html = await (await fetch(`${pristineUrl}/indicators/population-density`)).text();
    expect(html).toMatch(/<link rel="icon" href="\/favicon\.ico\?[^"]*" sizes="[^"]*"/);
    const icon = await fetch(`${pristineUrl}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/x-icon');
    expect(icon.headers.get('content-security-policy')).toBeNull();
    expect(Buffer.from(await icon.arrayBuffer()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  });

  // Issue #25: the static 404 page's scripts had no nonce, so the policy blocked them.
  it('are on the 404 page too, whose scripts carry the nonce', async () => {
    for (const pagePath of ['/no-such-page', '/indicators/no-such-indicator']) {
      const res = await fetch(`${pristineUrl}${pagePath}`);
      expect(res.status).toBe(404);
      const nonce = NONCE_POLICY.exec(res.headers.get('content-security-policy') ?? '')?.[1];
      expect(nonce).toBeDefined();
      const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, pagePath).toContain(`nonce="${nonce}"`);
    }
  });

  it('are on API answers, with Cache-Control: no-store, errors included', async () => {
    const answers = [
      await fetch(`${pristineUrl}/api/indicators`),
      await fetch(`${pristineUrl}/api/indicators/no-such-indicator`),
      await fetch(`${pristineUrl}/api/series`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 404, 401]);
    for (const res of answers) {
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    // A request with a body skips the nonce proxy: its policy lets no script run.
    expect(answers[2]!.headers.get('content-security-policy')).toContain("script-src 'none'");
  });

  it('are on downloads', async () => {
    for (const file of ['data.csv', 'data-full.csv', 'metadata.json', 'data.zip']) {
      const res = await fetch(`${pristineUrl}/indicators/population-density/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      await res.arrayBuffer();
    }
  });

  it('allow framing only under /embed/', async () => {
    const res = await fetch(`${pristineUrl}/embed/population-density`);
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(res.headers.get('x-frame-options')).toBeNull();

    // A page on another origin (another port of this machine) that frames both.
    const embedder = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        `<iframe id="login" src="${pristineUrl}/login"></iframe><iframe id="embed" src="${pristineUrl}/embed/x"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => embedder.listen(0, '127.0.0.1', resolve));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(embedder.address() as net.AddressInfo).port}/`);
    await page.waitForTimeout(1500);
    const frameText = async (name: string) => {
      const frame = await (await page.$(`#${name}`))!.contentFrame();
      return frame ? frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    };
    expect(await frameText('login')).not.toContain('Editor login');
    expect(await frameText('embed')).toContain('Not found');
    await context.close();
    await new Promise((resolve) => embedder.close(resolve));
  });

  it('break nothing in the browser: chart, PNG export, login, all without a violation', async () => {
    const context = await browser.newContext({
      viewport: { width: 1200, height: 900 },
      acceptDownloads: true,
    });
    const { page, problems } = await watchPage(context);
    await page.goto(`${pristineUrl}/indicators/oil-import-share`);
    await exploreChart(page);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Chart as PNG' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.png$/);
    await page.goto(`${pristineUrl}/login`);
    await page.getByLabel('Editor token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${pristineUrl}/`);
    await page.goto(`${pristineUrl}/data/new`);
    await page.getByRole('button', { name: 'Preview' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('leave pages working without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${pristineUrl}/login?next=/claims`);
    await page.getByLabel('Editor token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${pristineUrl}/claims`);
    await page.goto(`${pristineUrl}/indicators/population-density`);
    expect(await page.locator('table').count()).toBeGreaterThan(0);
    await context.close();
  });
});

describe('downloaded metadata', () => {
  function getWithHost(url: string, host: string, extra: Record<string, string> = {}) {
    return new Promise<string>((resolve, reject) => {
      const req = http.get(url, { headers: { host, ...extra } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
    });
  }

  it('links to the address the reader used, not localhost:<PORT>, and ignores a forged X-Forwarded-Host', async () => {
    const body = await getWithHost(
      `${pristineUrl}/indicators/population-density/metadata.json`,
      'sourced.example.org',
      { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    );
    const meta = JSON.parse(body) as { indicator: { url: string }; citation: string };
    expect(meta.indicator.url).toBe('http://sourced.example.org/indicators/population-density');
    expect(meta.citation).toContain('http://sourced.example.org/indicators/population-density');
    expect(body).not.toContain('evil.example');
  });
});

describe('values and ids', () => {
  const count = async () =>
    (await queryDatabase<{ n: number }>(writesDb, 'SELECT COUNT(*) AS n FROM "Observation"'))[0]!.n;
  const postSeries = (observations: unknown[]) =>
    fetch(`${baseUrl}/api/series`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        indicator: 'population-density',
        entity: 'CHN',
        kind: 'observed',
        label: 'Security test values',
        unit: 'people per km²',
        source: { title: 'Security tests', producer: 'Sourced', url: 'https://example.org/s' },
        observations,
      }),
    });

  it('refuses a value no unit of its dimension can show, and every download still works', async () => {
    const before = await count();
    const res = await postSeries([{ period: '2020', value: 1.79e308 }]);
    expect(res.status).toBe(400);
    const report = (await res.json()) as {
      errors: { row: number; column: string; reason: string }[];
    };
    expect(report.errors).toEqual([
      {
        row: 1,
        column: 'value',
        reason: '1.79e+308 people/km² is too large to be shown in people/mi²',
        severity: 'error',
      },
    ]);
    expect(await count()).toBe(before);
    for (const file of [
      'data.csv?unit=people%20per%20mi%C2%B2',
      'data.zip?unit=people%20per%20mi%C2%B2',
    ]) {
      const download = await fetch(`${baseUrl}/indicators/population-density/${file}`);
      expect(download.status, file).toBe(200);
      await download.arrayBuffer();
    }
  });

  it('refuses low > high through JSON as the CSV path does', async () => {
    const res = await postSeries([{ period: '2020', value: 5, low: 6, high: 4 }]);
    expect(res.status).toBe(400);
    const report = (await res.json()) as { errors: { column: string; reason: string }[] };
    expect(report.errors.map((e) => [e.column, e.reason])).toEqual([
      ['low', 'low (6) is greater than high (4)'],
    ]);
  });

  it('answers 404 for ids that are not positive safe integers', async () => {
    for (const id of ['9223372036854775807', '9007199254740993', '0', '-1', '1.5', '1e3']) {
      const revisions = await fetch(`${baseUrl}/api/series/${id}/revisions`);
      expect(revisions.status, id).toBe(404);
      expect(await revisions.json()).toEqual({ error: `No series with id ${id}` });
      const archive = await fetch(`${baseUrl}/api/series/${id}/archive`, {
        method: 'POST',
        headers: bearer,
      });
      expect(archive.status, id).toBe(404);
      const source = await fetch(`${baseUrl}/sources/${id}`);
      expect(source.status, id).toBe(404);
      await source.text();
    }
  });
});

/** VmRSS of a process, in bytes (Linux). */
function rss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/**
 * Posts a body of `size` bytes to `url` the way an attacker would: headers, then bytes
 * as fast as the server takes them (or, with waitForAnswer, once the server has
 * answered). Resolves with the status line and the bytes sent.
 */
function postRaw(
  url: string,
  size: number,
  { waitForAnswer = false } = {},
): Promise<{ status: string; sent: number }> {
  const { hostname, port, pathname } = new URL(url);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    let sent = 0;
    socket.on('data', (d) => (answer += d));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ status: answer.split('\r\n')[0] ?? '', sent }));
    socket.write(
      `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: multipart/form-data; boundary=----x\r\nNext-Action: 0000000000000000000000000000000000000000\r\nContent-Length: ${size}\r\n\r\n`,
    );
    const pump = () => {
      while (sent < size && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return socket.once('drain', pump);
      }
      if (sent >= size) socket.end();
    };
    if (waitForAnswer) socket.once('data', pump);
    else pump();
  });
}

describe('a server of its own (no proxy trusted, default limits)', () => {
  let server: Server;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourced-security-'));
    server = await startServer(dir, 'security', { SOURCED_EDITOR_TOKEN: token });
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses 16 large unauthenticated posts before reading them: memory stays flat', async () => {
    const url = `${server.baseUrl}/login`;
    // Warm up the login page and action, so that what follows measures the bodies only.
    for (let i = 0; i < 3; i++) await (await fetch(url)).text();
    const baseline = rss(server.pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(server.pid))), 20);
    const size = 50 * 1024 * 1024;
    const answers = await Promise.all(Array.from({ length: 16 }, () => postRaw(url, size)));
    clearInterval(sampler);
    const sent = answers.reduce((s, a) => s + a.sent, 0);
    peak = Math.max(peak, rss(server.pid));
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    console.log(
      `16 × 50 MB unauthenticated posts: RSS ${mb(baseline)} MB before, peak ${mb(peak)} MB; ` +
        `the clients got ${mb(sent)} MB of the 800 MB out before the server cut them off`,
    );
    // Each was refused: the 413, or, for a client still sending when its connection was
    // cut, a reset (never a 200 or a 500).
    for (const a of answers) expect(['HTTP/1.1 413 Payload Too Large', '']).toContain(a.status);
    // A client that reads while it sends gets the 413 with its reason.
    const patient = await postRaw(url, size, { waitForAnswer: true });
    expect(patient.status).toBe('HTTP/1.1 413 Payload Too Large');
    // Each body was cut off after about 1 MB (plus what the sockets buffer), not read.
    expect(sent).toBeLessThan(16 * 8 * 1024 * 1024);
    // Before the gate, the same posts took the server from 262 MB to over 1 GB.
    expect(peak - baseline).toBeLessThan(48 * 1024 * 1024);
    // The site is still up.
    expect((await fetch(`${server.baseUrl}/api/indicators`)).status).toBe(200);
  });

  it('sends the logged-in editor only to paths on this site', async () => {
    const payloads = [
      '/.//evil.example',
      '/%2e//evil.example',
      '/%2E%2E//evil.example',
      '/\\evil.example',
      '/.\\/evil.example',
      '//evil.example',
      '///evil.example',
      'https://evil.example/',
      '/\t/evil.example',
    ];
    const context = await browser.newContext();
    const page = await context.newPage();
    const origin = new URL(server.baseUrl).origin;
    for (const next of payloads) {
      await context.clearCookies();
      await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent(next)}`);
      await page.getByLabel('Editor token').fill(token);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((u) => u.pathname !== '/login', { timeout: 15_000 });
      expect(new URL(page.url()).origin, next).toBe(origin);
      // The "Continue" link of the logged-in login page.
      await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent(next)}`);
      const href = await page.getByRole('link', { name: 'Continue' }).getAttribute('href');
      expect(new URL(href!, server.baseUrl).origin, next).toBe(origin);
      expect(href!.startsWith('/') && !href!.startsWith('//'), href!).toBe(true);
    }
    await context.close();
  });

  it('throttles wrong tokens per address, ignores a forged X-Forwarded-For, never for good', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    const attempt = async (value: string) => {
      await page.getByLabel('Editor token').fill(value);
      await page.getByRole('button', { name: 'Log in' }).click();
      // (Next.js's route announcer is an alert too, so find the form's by its id.)
      const alert = page.locator('#login-error');
      await expect.poll(() => alert.innerText().catch(() => ''), { timeout: 15_000 }).not.toBe('');
      const text = await alert.innerText();
      // Clear it, so the next answer is not mistaken for this one.
      await page.goto(`${server.baseUrl}/login`);
      return text;
    };
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(await attempt(`wrong-token-${i}-xxxxxxxxxx`));
    expect(answers).toEqual(Array(5).fill('That token is not valid.'));
    // Then each wrong token doubles the wait before the next try.
    for (const wait of [1, 2, 4]) {
      expect(await attempt(`wrong-token-${wait}-yyyyyyyyyy`)).toBe(
        `That token is not valid. Too many wrong tokens from your address. Wait ${wait} second${wait === 1 ? '' : 's'}, then try again.`,
      );
      if (wait < 4) await page.waitForTimeout(wait * 1000 + 100);
    }
    // While it waits, even the right token is refused; another "address" written by
    // the client changes nothing, because no proxy is trusted.
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '198.51.100.23' });
    expect(await attempt(token)).toMatch(
      /^Too many wrong tokens from your address\. Wait \d seconds?/,
    );
    // After the wait, the right token works.
    await page.waitForTimeout(4100);
    await page.getByLabel('Editor token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.baseUrl}/`);
    await context.close();
  });

  /** The value of a session cookie from logging in through the form (one session, kept). */
  let session: string | undefined;
  async function sessionValue(): Promise<string> {
    session ??= (await logInThroughForm(browser, server.baseUrl, token)).cookie.split('=')[1]!;
    return session;
  }

  /** A browser context logged in on the security server. */
  async function editorPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.addCookies([
      { name: SESSION_COOKIE, value: await sessionValue(), url: server.baseUrl },
    ]);
    return { context, page: await context.newPage() };
  }

  it('answers a server action without a session with "log in", not a 500 and a stack trace', async () => {
    const { context, page } = await editorPage();
    await page.goto(`${server.baseUrl}/data/new`);
    await page.getByRole('button', { name: 'Preview' }).waitFor();
    // The session ends (or never was) while the form is open.
    await context.clearCookies();
    const logBefore = server.log().length;
    const statuses: number[] = [];
    page.on('response', (r) => r.request().method() === 'POST' && statuses.push(r.status()));
    // Straight to the server: the browser's own checks of required fields stand aside.
    await page
      .locator('form.data-form')
      .evaluate((f) => ((f as HTMLFormElement).noValidate = true));
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() =>
        page
          .locator('.problem')
          .first()
          .innerText()
          .catch(() => ''),
      )
      .toContain('You are not logged in as editor');
    expect(statuses).toEqual([200]);

    // Archiving from an indicator page goes to the login page and back.
    await context.addCookies([
      { name: SESSION_COOKIE, value: await sessionValue(), url: server.baseUrl },
    ]);
    await page.goto(`${server.baseUrl}/indicators/population-density`);
    const archive = page.getByRole('button', { name: 'Archive this series' }).first();
    await archive.waitFor();
    await context.clearCookies();
    await archive.click();
    await page.waitForURL(/\/login\?next=%2Findicators%2Fpopulation-density$/);
    const newLog = server.log().slice(logBefore);
    expect(newLog).not.toMatch(/Error|\n\s+at /);
    await context.close();
  });

  it('refuses a server action that writes when it does not come from this site', async () => {
    const cookie = `${SESSION_COOKIE}=${await sessionValue()}`;
    const pageUrl = `${server.baseUrl}/indicators/population-density`;
    const html = await (await fetch(pageUrl, { headers: { cookie } })).text();
    // The archive form as rendered for browsers without JavaScript: its hidden fields.
    const form =
      /<form[^>]*>((?:(?!<\/form>).)*Archive this series(?:(?!<\/form>).)*)<\/form>/s.exec(
        html,
      )?.[1];
    expect(form).toBeDefined();
    const fields = new FormData();
    for (const [, name, value] of form!.matchAll(
      /<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g,
    ))
      fields.set(name!.replace(/&amp;/g, '&'), (value ?? '').replace(/&amp;/g, '&'));
    const seriesId = Number(fields.get('seriesId'));
    expect(seriesId).toBeGreaterThan(0);
    const archived = async () =>
      (
        await queryDatabase<{ a: unknown }>(
          server.databaseUrl,
          'SELECT "archivedAt" AS a FROM "Series" WHERE id = ?',
          [seriesId],
        )
      )[0]!.a;
    const post = (headers: Record<string, string>) =>
      fetch(pageUrl, {
        method: 'POST',
        headers: { cookie, ...headers },
        body: fields,
        redirect: 'manual',
      });

    // No Origin at all: Next.js lets it through with a warning; the action refuses.
    const noOrigin = await post({});
    expect(noOrigin.status).toBeLessThan(500);
    expect(await archived()).toBeNull();
    // From this site: archived, which shows the same request can succeed.
    const own = await post({ origin: new URL(server.baseUrl).origin });
    expect(own.status).toBeLessThan(500);
    expect(await archived()).not.toBeNull();
  });
});
