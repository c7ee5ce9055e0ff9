// A tiny HTML builder for the dashboard: a tagged template that escapes every interpolated value
// unless it is already-built markup, so no data from the database can inject markup.

/** Markup that is already safe (built by `h` or by the chart module). */
export class Raw {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export type Part = Raw | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Raw) return part.html;
  if (Array.isArray(part)) return part.map(render).join('');
  return escape(String(part));
}

/** `h\`<td>${value}</td>\``: values are escaped, Raw and arrays of Raw pass through. */
export function h(strings: TemplateStringsArray, ...values: Part[]): Raw {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Raw(out);
}

/** Marks a trusted string (e.g. an SVG the chart module built from numbers and escaped text) as markup. */
export const raw = (html: string): Raw => new Raw(html);
