'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import {
  SESSION_COOKIE,
  actionFromThisSite,
  configuredEditorToken,
  isHttps,
  safeNextPath,
  sessionCookie,
  tokensMatch,
} from '@/lib/web/auth';
import { clientAddress } from '@/lib/web/forwarding';
import { loginThrottle, throttledMessage } from '@/lib/web/login-throttle';

export type LoginState = { error: string | null };

// One message for every failure: which part was wrong is a hint to whoever is guessing.
const INVALID = 'That token is not valid.';

const loginSchema = z.object({
  token: z.string().trim().min(1).max(1024),
  next: z.string().max(2048).optional(),
});

export async function logIn(_previous: LoginState, formData: FormData): Promise<LoginState> {
  const requestHeaders = await headers();
  const client = clientAddress(requestHeaders);
  const throttle = loginThrottle();
  // While an address waits, even the right token is refused: otherwise the wait
  // would not slow down a guesser at all.
  const wait = throttle.check(client);
  if (!wait.allowed) return { error: throttledMessage(wait.retryAfterMs) };

  const parsed = loginSchema.safeParse({
    token: formData.get('token'),
    next: formData.get('next') ?? undefined,
  });
  const expected = configuredEditorToken();
  if (!parsed.success || expected === null || !tokensMatch(parsed.data.token, expected)) {
    const delay = throttle.fail(client);
    return { error: delay > 0 ? `${INVALID} ${throttledMessage(delay)}` : INVALID };
  }
  throttle.succeed(client);

  (await cookies()).set(sessionCookie(expected, isHttps(requestHeaders)));
  redirect(safeNextPath(parsed.data.next));
}

export async function logOut(): Promise<void> {
  // Another site must not be able to end the editor's session either.
  if (await actionFromThisSite()) (await cookies()).delete(SESSION_COOKIE);
  redirect('/login');
}
