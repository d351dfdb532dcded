import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { schemaPath } from '../../src/schemas';

const SCHEMAS = path.dirname(schemaPath('README.md'));
const load = (name: string) => JSON.parse(readFileSync(path.join(SCHEMAS, name), 'utf8'));

let adaptive: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/**
 * Validates a card against the Adaptive Card 1.5 schema (draft-06, with its non-standard keywords).
 * The top-level `msteams` property (card width, mention entities) is Teams' host extension and not part of
 * the Adaptive Card schema, so it is checked on its own and left out of the schema check.
 */
export function adaptiveCardErrors(input: unknown): string[] {
  const { msteams, ...card } = (input ?? {}) as Record<string, unknown>;
  if (msteams !== undefined && (typeof msteams !== 'object' || msteams === null)) return ['/msteams must be an object'];
  if (!adaptive) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
    addFormats(ajv);
    // The file names itself with draft-04's `id`; Ajv 8 only reads `$id`.
    const { id, ...schema } = load('adaptive-card-1.5.schema.json');
    adaptive = ajv.compile({ $id: id, ...schema });
  }
  return adaptive(card) ? [] : ((adaptive.errors as { instancePath: string; message: string }[]) ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Validates a Teams app manifest against the Teams manifest schema (draft-04). */
export function manifestErrors(manifest: unknown): string[] {
  const ajv = new AjvDraft04({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(load('teams-manifest.schema.json'));
  return validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
