// Label and field selectors as the API server parses them from the query string
// (k8s.io/apimachinery pkg/labels/selector.go, pkg/fields/selector.go): equality, inequality,
// set-based `in`/`notin`, and existence, AND-ed by commas.

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export class SelectorError extends Error {}

/** Splits at commas that are not inside parentheses (`a in (x,y),b=c`). */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

export function parseLabelSelector(text: string | null | undefined): Requirement[] {
  if (!text) return [];
  return terms(text).map((term) => {
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3]!.split(',').map((v) => v.trim());
      return { key: set[1]!, op: set[2] as 'in' | 'notin', values };
    }
    const eq = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(term);
    if (eq) return { key: eq[1]!, op: eq[2] === '!=' ? 'notin' : 'in', values: [eq[3]!] };
    const exists = /^(!?)([^\s!=(),]+)$/.exec(term);
    if (exists) return { key: exists[2]!, op: exists[1] === '!' ? '!exists' : 'exists' };
    throw new SelectorError(`unable to parse requirement: ${JSON.stringify(term)}`);
  });
}

export function matchesLabels(
  requirements: Requirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const have = labels ?? {};
  return requirements.every((r) => {
    const present = Object.hasOwn(have, r.key);
    switch (r.op) {
      case 'exists':
        return present;
      case '!exists':
        return !present;
      case 'in':
        return present && r.values.includes(have[r.key]!);
      default:
        return !present || !r.values.includes(have[r.key]!);
    }
  });
}

/** `matchLabels` of a LabelSelector as the query-string form kubectl and the controllers send. */
export function selectorString(matchLabels: Record<string, string>): string {
  return Object.keys(matchLabels)
    .sort()
    .map((key) => `${key}=${matchLabels[key]}`)
    .join(',');
}

export interface FieldRequirement {
  field: string;
  equal: boolean;
  value: string;
}

export function parseFieldSelector(text: string | null | undefined, supported: string[]): FieldRequirement[] {
  if (!text) return [];
  return terms(text).map((term) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = m[1]!.trim();
    if (!supported.includes(field)) throw new SelectorError(`field label not supported: ${field}`);
    return { field, equal: m[2] !== '!=', value: m[3]!.trim() };
  });
}

export function matchesFields(requirements: FieldRequirement[], fields: Record<string, string>): boolean {
  return requirements.every((r) => (fields[r.field] === r.value) === r.equal);
}
