import path from 'node:path';

/**
 * Upstream contracts (Adaptive Cards 1.5, Teams manifest, Bot Connector, Google discovery documents), vendored byte for
 * byte from ../shared/schemas into `schemas/` so a fresh clone, CI and local mode have them (see schemas/README.md).
 */
export function schemaPath(file: string): string {
  return path.resolve(__dirname, '..', 'schemas', file);
}
