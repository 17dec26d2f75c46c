// Runs once when the server starts (Next.js's instrumentation hook).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installRequestGate } = await import('./lib/web/request-gate');
  installRequestGate();
}
