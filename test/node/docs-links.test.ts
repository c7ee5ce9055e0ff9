// Every relative link in README.md and docs/*.md resolves: the file exists, and a #fragment names a
// heading of the target (slugged as GitHub does). External links are not fetched.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../cli/processes.ts';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered -1, -2. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of withoutCode(markdown).split('\n')) {
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** Fenced blocks become empty lines (headings and links in code are not headings or links). */
function withoutCode(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

function links(markdown: string): string[] {
  const text = withoutCode(markdown).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/!?\[[^\]\n]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

const pages = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('documentation links', () => {
  it('finds the pages and their links', () => {
    expect(pages.length).toBeGreaterThan(8);
    expect(links(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).length).toBeGreaterThan(20);
  });

  it('catches a broken file, a broken anchor and slugs headings as GitHub does', () => {
    expect(anchors('# The core\'s RPCs\n## The browser collector (`/v1/sdk.js`)\n## Edge\n## Edge\n```\n# not a heading\n```')).toEqual(
      new Set(['the-cores-rpcs', 'the-browser-collector-v1sdkjs', 'edge', 'edge-1']),
    );
    expect(links('see [a](docs/a.md#x), `[not](a link)`, ![img](p.png) and [web](https://example.com)')).toEqual(['docs/a.md#x', 'p.png', 'https://example.com']);
  });

  for (const page of pages) {
    it(`${page}: every relative link resolves`, () => {
      const source = readFileSync(path.join(ROOT, page), 'utf8');
      const broken: string[] = [];
      for (const link of links(source)) {
        if (/^[a-z]+:/i.test(link)) continue;
        const [file, fragment] = link.split('#') as [string, string | undefined];
        const target = file ? path.resolve(path.dirname(path.join(ROOT, page)), decodeURI(file)) : path.join(ROOT, page);
        if (!existsSync(target)) {
          broken.push(`${link}: no such file`);
          continue;
        }
        if (fragment !== undefined && !anchors(readFileSync(target, 'utf8')).has(fragment)) broken.push(`${link}: no such heading`);
      }
      expect(broken).toEqual([]);
    });
  }
});
