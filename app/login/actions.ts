'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import {
  SESSION_COOKIE,
  actionFromThisSite,
  configuredEditorToken,
  isEditor,
  isHttps,
  safeNextPath,
  sessionCookie,
  signedSessionOfRequest,
  tokensMatch,
} from '@/lib/web/auth';
import { formFailure } from '@/lib/api/errors';
import { getStore } from '@/lib/store';
import {
  createEditorSession,
  revokeAllEditorSessions,
  revokeEditorSession,
} from '@/lib/web/editor-sessions';
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

  let sessionId: string;
  try {
    sessionId = (await createEditorSession(getStore())).id;
  } catch (error) {
    return { error: formFailure(error).error ?? 'The login could not be saved; try again.' };
  }
  (await cookies()).set(sessionCookie(expected, sessionId, isHttps(requestHeaders)));
  redirect(safeNextPath(parsed.data.next));
}

/**
 * Ends this browser's session in the database, so a copy of its cookie is refused too;
 * `everywhere` ends every open session. Another site must not be able to do either.
 */
async function endSessions(everywhere: boolean): Promise<void> {
  if (!(await actionFromThisSite())) return;
  const id = await signedSessionOfRequest();
  const store = getStore();
  // Ending every session takes an open one: a cookie already logged out must not log
  // the editor out of the browsers still in use.
  if (everywhere && (await isEditor(store))) await revokeAllEditorSessions(store);
  else if (id !== null) await revokeEditorSession(store, id);
  (await cookies()).delete(SESSION_COOKIE);
}

export async function logOut(): Promise<void> {
  await endSessions(false);
  redirect('/login');
}

export async function logOutEverywhere(): Promise<void> {
  await endSessions(true);
  redirect('/login');
}
