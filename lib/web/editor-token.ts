// The editor token: the one secret that allows writes. Plain Node (not `server-only`)
// because `npm start` imports it through tsx to create and announce the token before
// the server runs, the way Jupyter prints its login URL.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databaseFile, databaseProvider, readEnv } from '../db/env';

type EnvSource = Record<string, string | undefined>;

export const EDITOR_TOKEN_ENV = 'SOURCED_EDITOR_TOKEN';
export const MIN_TOKEN_LENGTH = 16;
const TOKEN_FILE_NAME = 'editor-token';

export type EditorTokenResult = {
  token: string;
  source: 'env' | 'file' | 'generated';
  /** The token file, or null when the token comes from the environment. */
  file: string | null;
};

/** Thrown when no token exists yet, so callers can tell "nobody may write" from a broken setup. */
export class NoEditorTokenError extends Error {
  constructor() {
    super(`No editor token: set ${EDITOR_TOKEN_ENV} or run npm start once`);
    this.name = 'NoEditorTokenError';
  }
}

/** Beside the database, so a backup or volume mount of the data folder carries the token with it. */
export function tokenFilePath(databaseUrl: string): string {
  return path.join(path.dirname(databaseFile(databaseUrl)), TOKEN_FILE_NAME);
}

function tokenFromEnv(env: EnvSource): string | null {
  // An empty assignment (`SOURCED_EDITOR_TOKEN=` in a .env file) means "not set".
  const value = env[EDITOR_TOKEN_ENV]?.trim();
  if (!value) return null;
  if (value.length < MIN_TOKEN_LENGTH) {
    throw new Error(
      `${EDITOR_TOKEN_ENV} must be at least ${MIN_TOKEN_LENGTH} characters long; ` +
        `unset it to have a strong token generated instead`,
    );
  }
  return value;
}

function tokenFromFile(file: string): string | null {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const token = content.trim();
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new Error(
      `The editor token in ${file} is shorter than ${MIN_TOKEN_LENGTH} characters; ` +
        `delete the file to have a new one generated, or set ${EDITOR_TOKEN_ENV}`,
    );
  }
  return token;
}

function restrictPermissions(file: string): void {
  // Group or world bits set: someone copied the file around or made it by hand.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * On PostgreSQL the token comes from the environment only: several app servers share
 * one database but no data folder, and a file on one of them would leave the others
 * refusing every write. Each server gets the same SOURCED_EDITOR_TOKEN from its
 * deployment's configuration, where such secrets belong.
 */
export class EditorTokenRequiredError extends Error {
  constructor() {
    super(
      `On PostgreSQL, set ${EDITOR_TOKEN_ENV} (at least ${MIN_TOKEN_LENGTH} characters, the same on every app server), for example:\n\n` +
        `    export ${EDITOR_TOKEN_ENV}=${crypto.randomBytes(32).toString('base64url')}\n`,
    );
    this.name = 'EditorTokenRequiredError';
  }
}

function tokenLivesInEnvOnly(env: EnvSource): boolean {
  return databaseProvider(readEnv(env).DATABASE_URL) === 'postgresql';
}

/** The token, creating and storing one on first use. Called once at startup. */
export function ensureEditorToken(env: EnvSource = process.env): EditorTokenResult {
  const fromEnv = tokenFromEnv(env);
  if (fromEnv !== null) return { token: fromEnv, source: 'env', file: null };
  if (tokenLivesInEnvOnly(env)) throw new EditorTokenRequiredError();

  const file = tokenFilePath(readEnv(env).DATABASE_URL);
  const existing = tokenFromFile(file);
  if (existing !== null) {
    restrictPermissions(file);
    return { token: existing, source: 'file', file };
  }

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const token = crypto.randomBytes(32).toString('base64url');
  try {
    // `wx` fails if the file appeared meanwhile (a second `npm start`, `npm run dev`),
    // so two processes never end up holding different tokens.
    fs.writeFileSync(file, token, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // The winner creates the file before writing to it; give it a moment to finish.
    for (let attempt = 0; attempt < 20; attempt++) {
      if (fs.readFileSync(file, 'utf8').trim().length >= MIN_TOKEN_LENGTH) break;
      sleepSync(10);
    }
    const winner = tokenFromFile(file);
    if (winner === null) throw new NoEditorTokenError();
    restrictPermissions(file);
    return { token: winner, source: 'file', file };
  }
  // The umask may have taken away more than group and world bits.
  fs.chmodSync(file, 0o600);
  return { token, source: 'generated', file };
}

/** The same lookup as `ensureEditorToken` without creating anything; for the running server. */
export function readEditorToken(env: EnvSource = process.env): string {
  const fromEnv = tokenFromEnv(env);
  if (fromEnv !== null) return fromEnv;
  if (tokenLivesInEnvOnly(env)) throw new NoEditorTokenError();
  const fromFile = tokenFromFile(tokenFilePath(readEnv(env).DATABASE_URL));
  if (fromFile === null) throw new NoEditorTokenError();
  return fromFile;
}

/**
 * What `npm start` prints. The token itself is shown only when it was just generated:
 * a restart should not put the secret into every log again.
 */
export function loginBanner(result: EditorTokenResult, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  switch (result.source) {
    case 'generated':
      return [
        '',
        '    A new editor token was generated. Reading is public; adding or changing data',
        `    needs this token. It is stored in ${result.file} (readable only by you).`,
        '',
        `        ${result.token}`,
        '',
        '    To log in as editor, open this URL in a browser:',
        '',
        `        ${base}/login?token=${encodeURIComponent(result.token)}`,
        '',
        `    API clients send it as "Authorization: Bearer <token>".`,
        '',
      ].join('\n');
    case 'file':
      return `Editor token: stored in ${result.file}; log in at ${base}/login`;
    case 'env':
      return `Editor token: taken from ${EDITOR_TOKEN_ENV}; log in at ${base}/login`;
  }
}
