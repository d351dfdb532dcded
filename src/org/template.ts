import { plain } from '../teams/text';

/**
 * The variables a template of the organisation file may use, with what each says. Documented here once: the example
 * file and the README list the same names, and an unknown name stops the start (src/org/load.ts).
 */
export const TEMPLATE_VARIABLES = {
  'incident.number': 'the incident number, e.g. INC-42 (internal audiences)',
  'incident.title': 'the internal title (internal audiences only: never on the status page)',
  severity: 'sev1 … sev4',
  impact: 'none, minor, major or critical (follows severity)',
  summary: 'the text typed with the command (the update itself)',
  components: 'the affected public components, e.g. "Checkout and Payments" ("our service" when none)',
  next_update_by: 'when the next update is due, e.g. 10:42 UTC',
  status_page_url: "the status page's public address",
  commander: 'the incident commander (internal audiences only)',
} as const;

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export type TemplateValues = Partial<Record<TemplateVariable, string>>;

/** Names that would leak who or what is internal: refused in a template the public sees. */
export const INTERNAL_VARIABLES: readonly TemplateVariable[] = ['incident.title', 'commander', 'incident.number'];

/** Where a rendered text goes: what must be escaped differs. */
export type RenderTarget = 'text' | 'markdown' | 'html';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variables a template uses, with each one's offset in the template (for error positions). */
export function variablesIn(template: string): { name: string; offset: number }[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1], offset: m.index! }));
}

export function isTemplateVariable(name: string): name is TemplateVariable {
  return Object.prototype.hasOwnProperty.call(TEMPLATE_VARIABLES, name);
}

/**
 * Fills a template. The template's own words are the organisation's (approved ahead of time) and kept as written;
 * the values come from people during an incident and are escaped for the target, so a summary can't add a link, a
 * heading or markup. A variable without a value renders empty (validation at start already refused unknown names).
 */
export function render(template: string, values: TemplateValues, target: RenderTarget): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => escape(isTemplateVariable(name) ? (values[name] ?? '') : '', target));
}

export function escape(value: string, target: RenderTarget): string {
  switch (target) {
    case 'text':
      return value;
    case 'markdown':
      return plain(value);
    case 'html':
      return escapeHtml(value);
    default: {
      const never: never = target;
      throw new Error(`unknown render target ${String(never)}`);
    }
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
