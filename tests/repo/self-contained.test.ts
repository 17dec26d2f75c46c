import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

const SKIP = new Set(['node_modules', '.next', '.git', 'generated', 'data', 'fixtures']);

/** The project's own code and config: what a clone gets and runs. */
function trackedCode(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) walk(rel);
      } else if (/\.(ts|tsx|mjs|cjs|js|json)$/.test(entry.name) && rel !== 'package-lock.json') {
        files.push(rel);
      }
    }
  };
  walk('.');
  return files.map((f) => f.replace(/^\.\//, ''));
}

// The team's material sits in a folder named shared/ beside this repository; a
// user's clone has nothing beside it, so no code may reach for it.
const OUTSIDE = [
  { name: 'a path into shared/', pattern: /['"`][^'"`\n]*\bshared\/(fixtures|seeds|data)\b/ },
  { name: "a 'shared' path segment", pattern: /['"`]shared['"`]/ },
  { name: 'a path three levels up', pattern: /['"`]\.\.\/\.\.\/\.\.\// },
  { name: 'three ".." segments', pattern: /['"`]\.\.['"`],\s*['"`]\.\.['"`],\s*['"`]\.\.['"`]/ },
];

describe('the repository is self-contained', () => {
  it('finds the code to check', () => {
    const files = trackedCode();
    expect(files).toContain('tests/support/fixtures.ts');
    expect(files).toContain('lib/db/env.ts');
  });

  it('has no code that reads outside the repository', () => {
    const hits: string[] = [];
    for (const file of trackedCode()) {
      if (file === 'tests/repo/self-contained.test.ts') continue; // its own patterns
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      text.split('\n').forEach((line, i) => {
        for (const { name, pattern } of OUTSIDE) {
          if (pattern.test(line)) hits.push(`${file}:${i + 1}: ${name}: ${line.trim()}`);
        }
      });
    }
    expect(hits).toEqual([]);
  });

  it('ships every fixture the tests read, with the article intact', async () => {
    const fixtures = await import('../support/fixtures');
    for (const file of [fixtures.ARTICLE_TEXT_FILE, fixtures.WB_FIXTURE, fixtures.WB_METADATA]) {
      expect(path.relative(root, file).startsWith('tests/fixtures/'), file).toBe(true);
      expect(fs.existsSync(file), file).toBe(true);
    }
  });
});
