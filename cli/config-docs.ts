// Renders docs/configuration.md from the zod schemas that parse the environment, so the reference
// cannot drift from the code: each variable's name comes from the mapping the parser itself uses
// (coreConfigInput / edgeConfigInput, called with every variable's name as its value), its type and
// default from z.toJSONSchema, its text from the schema's .describe().
import { z } from 'zod';
import { configSchema, coreConfigInput } from '../core/config.ts';
import { edgeConfigInput, edgeConfigSchema } from '../edge/config.ts';
import { nodeEdgeEnvSchema } from '../edge/node-config.ts';
import { supervisorEnvSchema } from './start-config.ts';

export const CONFIG_DOC_PATH = 'docs/configuration.md';

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
};

export type ConfigVariable = { name: string; type: string; default: string; description: string };

/** A tree of variable names shaped like the schema's input: what `input(env)` returns when every variable holds its own name. */
type NameTree = { [field: string]: string | NameTree | undefined };

const namesOf = (input: (env: Record<string, string>) => unknown): NameTree =>
  input(new Proxy({}, { get: (_target, name) => String(name) }) as Record<string, string>) as NameTree;

const jsonSchemaOf = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' | ');
  const range: string[] = [];
  const low = s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : s.minimum !== undefined ? `${s.minimum}` : undefined;
  const high = s.maximum !== undefined && s.maximum < MAX_SAFE ? `${s.maximum}` : undefined;
  if (low !== undefined && high !== undefined) range.push(low.startsWith('>') ? `${low}, <= ${high}` : `${low}-${high}`);
  else if (low !== undefined) range.push(low.startsWith('>') ? low : `>= ${low}`);
  else if (high !== undefined) range.push(`<= ${high}`);
  if (s.minLength !== undefined && s.minLength > 1) range.push(`${s.minLength}+ characters`);
  const base = s.type ?? 'string';
  return range.length ? `${base} (${range.join(', ')})` : base;
}

const defaultOf = (s: JsonSchema) =>
  s.default === undefined ? '(unset)' : s.default === '' ? '(empty)' : `\`${String(s.default)}\``;

/** Walks the name tree beside the JSON Schema, one row per leaf, in the schema's order. */
function leaves(names: NameTree, schema: JsonSchema, path: string[] = []): ConfigVariable[] {
  const rows: ConfigVariable[] = [];
  for (const [field, name] of Object.entries(names)) {
    const sub = schema.properties?.[field];
    if (!sub) throw new Error(`${[...path, field].join('.')}: fed by the environment but not in the schema`);
    if (typeof name === 'string') {
      rows.push({ name, type: typeOf(sub), default: defaultOf(sub), description: sub.description ?? '' });
    } else if (name) {
      rows.push(...leaves(name, sub, [...path, field]));
    }
  }
  return rows;
}

/** A schema keyed by the variables' own names (edge/node-config.ts, cli/start-config.ts). */
const flat = (schema: z.ZodObject) =>
  leaves(Object.fromEntries(Object.keys(schema.shape).map((k) => [k, k])), jsonSchemaOf(schema));

export type ConfigSection = { title: string; source: string; intro: string; variables: ConfigVariable[] };

export function configSections(): ConfigSection[] {
  return [
    {
      title: 'Core',
      source: 'core/config.ts',
      intro: 'Read once from the environment by `core/main.ts` (and by `cadence migrate` and `cadence train`); an invalid value stops the core at start, naming the variable (never echoing the value).',
      variables: leaves(namesOf(coreConfigInput), jsonSchemaOf(configSchema)),
    },
    {
      title: 'Edge (Node and workerd)',
      source: 'edge/config.ts',
      intro: 'Read from `process.env` on Node and from the Worker\'s `vars` (`edge/wrangler.jsonc`) and secrets on workerd; an empty variable counts as unset. The edge\'s thresholds, replay window and JWT names are its own copies: set them as on the core.',
      variables: leaves(namesOf(edgeConfigInput), jsonSchemaOf(edgeConfigSchema)),
    },
    {
      title: 'Edge on Node only',
      source: 'edge/node-config.ts',
      intro: 'The Node edge\'s address and its durable spool (workerd hands batches to a Cloudflare Queue instead).',
      variables: flat(nodeEdgeEnvSchema),
    },
    {
      title: '`cadence start` (the supervisor)',
      source: 'cli/start-config.ts',
      intro: 'The supervisor passes its environment on to the core and the edge; these are its own.',
      variables: flat(supervisorEnvSchema),
    },
  ];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderConfigDoc(sections = configSections()): string {
  const out = [
    '# Configuration reference',
    '',
    '<!-- Generated by `npx cadence docs config` from the zod schemas named below; do not edit by hand.',
    '     test/node/docs-config.test.ts fails when this file differs from what the schemas give. -->',
    '',
    'Each variable may be left unset: the defaults run everything on one machine, and `npm start`',
    'generates the keys the core will not start without. Types are what the value must parse as (ranges',
    'inclusive); "(unset)" means no default, and the description says what happens then. Back to the',
    '[README](../README.md).',
  ];
  for (const section of sections) {
    out.push('', `## ${section.title}`, '', `Schema: [\`${section.source}\`](../${section.source}). ${section.intro}`, '');
    out.push('| variable | type | default | description |', '|---|---|---|---|');
    for (const v of section.variables) {
      out.push(`| \`${v.name}\` | ${cell(v.type)} | ${cell(v.default)} | ${cell(v.description)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
