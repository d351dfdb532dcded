import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const SCHEMA = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/statuspage-v2.schema.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(SCHEMA);

/** The Statuspage v2 documents our API serves, by path under /api/v2/. */
export const STATUSPAGE_DOCUMENTS = Object.keys(SCHEMA.documents) as string[];

/** Errors of a v2 API document against the schema written from Statuspage's API reference ([] when valid). */
export function statuspageErrors(document: string, data: unknown): string[] {
  const validate = ajv.getSchema(`${SCHEMA.$id}#/documents/${document.replace(/\//g, '~1')}`);
  if (!validate) throw new Error(`no schema for ${document}`);
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
