// The resolve hook of production-imports.mjs.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const dev = new Set(Object.keys(pkg.devDependencies ?? {}));

/** The package a bare specifier names: `@scope/name/x` -> `@scope/name`, `name/x` -> `name`. */
function packageOf(specifier) {
  if (/^(node:|data:|file:|\.|\/)/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export async function resolve(specifier, context, next) {
  const name = packageOf(specifier);
  if (name && dev.has(name)) throw new Error(`production import check: ${specifier} is a development dependency (imported from ${context.parentURL})`);
  const result = await next(specifier, context);
  if (/\.[cm]?tsx?$/.test(new URL(result.url).pathname)) throw new Error(`production import check: ${result.url} is TypeScript (imported from ${context.parentURL})`);
  return result;
}
