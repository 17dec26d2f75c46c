// Slows down guessing of the editor token, per client address: a few wrong tokens are
// free, then each one doubles the wait before the next try, up to a ceiling. Never a
// lockout: after the wait anyone may try again, and a right token clears the count.
// The real editor on another address is never slowed by someone else's guesses.
import cluster from 'node:cluster';
import { BROADCAST } from './broadcast.mjs';

export type ThrottleOptions = {
  /** Wrong tokens allowed before any wait. */
  freeFailures: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
  /** An address with no failure for this long starts afresh. */
  forgetAfterMs: number;
  /** Addresses remembered at once; the longest-quiet ones are dropped first. */
  maxEntries: number;
};

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxEntries: 10_000,
};

export type ThrottleCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

type Entry = { failures: number; lastFailure: number; nextAllowed: number };

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  private current(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.lastFailure > this.options.forgetAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Whether `key` may try a token now. A refused try is not counted as a failure. */
  check(key: string): ThrottleCheck {
    const entry = this.current(key);
    const wait = entry ? entry.nextAllowed - this.now() : 0;
    return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
  }

  /** Records a wrong token; returns how long `key` must now wait (0 while still free). */
  fail(key: string): number {
    const now = this.now();
    const entry = this.current(key) ?? { failures: 0, lastFailure: now, nextAllowed: now };
    entry.failures++;
    entry.lastFailure = now;
    const over = entry.failures - this.options.freeFailures;
    const delay =
      over > 0
        ? Math.min(this.options.baseDelayMs * 2 ** Math.min(over - 1, 30), this.options.maxDelayMs)
        : 0;
    entry.nextAllowed = now + delay;
    // Re-inserting keeps the map ordered by last failure, oldest first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evict();
    return delay;
  }

  /** A right token: the address starts afresh. */
  succeed(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    if (this.entries.size <= this.options.maxEntries) return;
    for (const key of this.entries.keys()) {
      this.entries.delete(key);
      if (this.entries.size <= this.options.maxEntries) return;
    }
  }
}

/** "3 seconds", "2 minutes": how long to wait, rounded up. */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

export function throttledMessage(retryAfterMs: number): string {
  return `Too many wrong tokens from your address. Wait ${describeWait(retryAfterMs)}, then try again.`;
}

/** A wrong token or a right one, as one server process tells the others. */
export type ThrottleEvent = { op: 'fail' | 'succeed'; key: string };

/** How a throttle tells the other server processes, and hears from them. */
export type ThrottleChannel = {
  send(event: ThrottleEvent): void;
  listen(handler: (event: ThrottleEvent) => void): void;
};

/**
 * A throttle that every server process of `npm start` keeps alike: each wrong or right
 * token is recorded here and in every other process, so that one process per core does
 * not give an address that many times the tries. Checks stay local and synchronous; a
 * try in another process is counted here a moment later, when its message arrives.
 */
export class SharedLoginThrottle extends LoginThrottle {
  constructor(
    private readonly channel: ThrottleChannel,
    options?: ThrottleOptions,
    now?: () => number,
  ) {
    super(options, now);
    channel.listen((event) => {
      if (event.op === 'fail') super.fail(event.key);
      else super.succeed(event.key);
    });
  }

  override fail(key: string): number {
    const delay = super.fail(key);
    this.channel.send({ op: 'fail', key });
    return delay;
  }

  override succeed(key: string): void {
    super.succeed(key);
    this.channel.send({ op: 'succeed', key });
  }
}

const KIND = 'login-throttle';

function isEvent(value: unknown): value is ThrottleEvent {
  const e = value as ThrottleEvent | null;
  return typeof e?.key === 'string' && (e.op === 'fail' || e.op === 'succeed');
}

/** The other server processes through the cluster's primary (scripts/cluster.mjs), if any. */
function clusterChannel(): ThrottleChannel | null {
  if (!cluster.isWorker || !process.send) return null;
  return {
    send(event) {
      // A primary that is stopping has closed the channel: this process counts alone.
      if (process.connected)
        process.send!({ channel: BROADCAST, kind: KIND, event }, undefined, {}, () => {});
    },
    listen(handler) {
      process.on('message', (message: { channel?: unknown; kind?: unknown; event?: unknown }) => {
        if (message?.channel === BROADCAST && message.kind === KIND && isEvent(message.event))
          handler(message.event);
      });
    },
  };
}

// One throttle per server process, shared by the login action and the API's Bearer
// check (Next.js may load this module in more than one bundle), and kept alike in every
// process of the cluster.
const global = globalThis as unknown as { sourcedLoginThrottle?: LoginThrottle };

export function loginThrottle(): LoginThrottle {
  if (!global.sourcedLoginThrottle) {
    const channel = clusterChannel();
    global.sourcedLoginThrottle = channel ? new SharedLoginThrottle(channel) : new LoginThrottle();
  }
  return global.sourcedLoginThrottle;
}
