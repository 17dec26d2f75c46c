// Runs once when the server starts (Next.js's instrumentation hook).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installRequestGate } = await import('./lib/web/request-gate');
  installRequestGate();
  // Made now, not at the first token: in a cluster it hears every other process's wrong
  // tokens from the start (a message with nobody listening is lost).
  const { loginThrottle } = await import('./lib/web/login-throttle');
  loginThrottle();
  // Next.js listens before it runs this: the process renders its entry pages once now,
  // so that its first readers do not pay for its first renders (lib/web/warm-up.ts).
  const { startWarmUp } = await import('./lib/web/warm-up');
  void startWarmUp();
}
