import type { Browser } from 'playwright-core';

export type LoginResponse = {
  /** Every Set-Cookie header of the login form's answer, as the server sent them. */
  setCookies: string[];
  /** `name=value` of the session cookie, to send from a script. */
  cookie: string;
};

/**
 * Logs in through the real /login form in Chromium and returns what the server set.
 * `forwardedProto` makes every request say it came through a proxy over that scheme.
 */
export async function logInThroughForm(
  browser: Browser,
  baseUrl: string,
  token: string,
  options: { forwardedProto?: 'https' | 'http' } = {},
): Promise<LoginResponse> {
  const context = await browser.newContext(
    options.forwardedProto
      ? { extraHTTPHeaders: { 'X-Forwarded-Proto': options.forwardedProto } }
      : {},
  );
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Editor token').fill(token);
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login',
      ),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
    const setCookies = await response.headerValues('set-cookie');
    const first = setCookies[0] ?? '';
    return { setCookies, cookie: first.split(';')[0]!.trim() };
  } finally {
    await context.close();
  }
}
