'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import {
  SESSION_COOKIE,
  configuredEditorToken,
  isHttps,
  safeNextPath,
  sessionCookie,
  tokensMatch,
} from '@/lib/auth';

export type LoginState = { error: string | null };

// One message for every failure: which part was wrong is a hint to whoever is guessing.
const INVALID = 'That token is not valid.';

const loginSchema = z.object({
  token: z.string().trim().min(1).max(1024),
  next: z.string().max(2048).optional(),
});

export async function logIn(_previous: LoginState, formData: FormData): Promise<LoginState> {
  const parsed = loginSchema.safeParse({
    token: formData.get('token'),
    next: formData.get('next') ?? undefined,
  });
  const expected = configuredEditorToken();
  if (!parsed.success || expected === null || !tokensMatch(parsed.data.token, expected)) {
    return { error: INVALID };
  }

  (await cookies()).set(sessionCookie(expected, isHttps(await headers())));
  redirect(safeNextPath(parsed.data.next));
}

export async function logOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect('/login');
}
