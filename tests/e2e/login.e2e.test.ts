// The login cookie as the server really sends it: the Set-Cookie header of the /login
// form's answer, with the flags the README promises (HttpOnly, SameSite=Lax, Secure
// over https).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { logInThroughForm } from './support/login';

const baseUrl = inject('baseUrl');
const pristineUrl = inject('pristineUrl');
const token = inject('editorToken');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** `name=value; A=b; Flag` → the value and the attributes, names lower-cased. */
function parseSetCookie(header: string) {
  const [pair, ...parts] = header.split(';').map((p) => p.trim());
  const eq = pair!.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of parts) {
    const i = part.indexOf('=');
    if (i === -1) attributes[part.toLowerCase()] = true;
    else if (part.slice(0, i).toLowerCase() === 'samesite')
      attributes.samesite = part.slice(i + 1).toLowerCase();
    else attributes[part.slice(0, i).toLowerCase()] = part.slice(i + 1);
  }
  return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attributes };
}

describe('the login cookie', () => {
  it('is HttpOnly, SameSite=Lax, for the whole site, and not Secure over plain http', async () => {
    const { setCookies } = await logInThroughForm(browser, baseUrl, token);
    expect(setCookies).toHaveLength(1);
    const cookie = parseSetCookie(setCookies[0]!);
    expect(cookie.name).toBe('sourced_editor');
    // Every attribute but the expiry date (Max-Age says the same: 30 days).
    const { expires, ...attributes } = cookie.attributes;
    expect(new Date(String(expires)).getTime()).toBeGreaterThan(Date.now());
    expect(attributes).toEqual({
      path: '/',
      'max-age': String(60 * 60 * 24 * 30),
      httponly: true,
      samesite: 'lax',
    });
    // The session is derived from the token; the cookie never carries the token itself.
    expect(cookie.value.length).toBeGreaterThanOrEqual(32);
    expect(cookie.value).not.toContain(token);
    expect(decodeURIComponent(cookie.value)).not.toContain(token);
  });

  it('is not Secure when a client merely claims https, on a server told of no proxy', async () => {
    const { setCookies } = await logInThroughForm(browser, pristineUrl, token, {
      forwardedProto: 'https',
    });
    expect(setCookies).toHaveLength(1);
    expect(parseSetCookie(setCookies[0]!).attributes.secure).toBeUndefined();
  });

  // The writes server runs with SOURCED_TRUST_PROXY=1 (tests/e2e/global-setup.ts).
  it('is Secure when the browser came over https, through a proxy that says so', async () => {
    const { setCookies } = await logInThroughForm(browser, baseUrl, token, {
      forwardedProto: 'https',
    });
    expect(setCookies).toHaveLength(1);
    const { expires: _expires, ...attributes } = parseSetCookie(setCookies[0]!).attributes;
    expect(attributes).toEqual({
      path: '/',
      'max-age': String(60 * 60 * 24 * 30),
      httponly: true,
      samesite: 'lax',
      secure: true,
    });
  });

  it('is not set for a wrong token, which gets one message and nothing more', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Editor token').fill('not-the-token-at-all');
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login',
      ),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
    expect(await response.headerValues('set-cookie')).toEqual([]);
    await expect
      .poll(() => page.locator('#login-error').innerText(), { timeout: 10_000 })
      .toBe('That token is not valid.');
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });
});

describe('logging out', () => {
  /** Logs in through the form in a context of its own; the page and its session cookie. */
  async function loggedIn() {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Editor token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${baseUrl}/`);
    const cookie = (await context.cookies()).find((c) => c.name === 'sourced_editor');
    expect(cookie).toBeDefined();
    return { context, page, cookie: `${cookie!.name}=${cookie!.value}` };
  }

  /** A write with the copied cookie, as a script (not the browser) would send it. */
  const replay = (cookie: string) =>
    fetch(`${baseUrl}/api/sources`, {
      method: 'POST',
      headers: { cookie, origin: baseUrl, 'content-type': 'application/json' },
      body: '{}',
    });

  it('ends the session in the database: a copy of the cookie is refused afterwards', async () => {
    const { context, page, cookie } = await loggedIn();
    // Before: the copy is the editor (an empty source is refused for its fields, not as a stranger).
    expect((await replay(cookie)).status).toBe(400);

    await page.goto(`${baseUrl}/login`);
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect((await context.cookies()).filter((c) => c.name === 'sourced_editor')).toEqual([]);

    const after = await replay(cookie);
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: 'Unauthorized' });
    // Pages see it too: the copied cookie gets the login form, not the editor's controls.
    const html = await (await fetch(`${baseUrl}/data/new`, { headers: { cookie } })).text();
    expect(html).toContain('Adding data needs the editor token');
    await context.close();
  });
});
