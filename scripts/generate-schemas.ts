/**
 * Writes the JSON Schemas in `events/schemas/` from the zod schemas, so
 * producers outside TypeScript (procurement tools, forms, IdP bridges) and
 * policy editors get the exact contract the Lambdas enforce. A unit test
 * regenerates them and compares, so the committed files cannot drift.
 *
 * Run: `npx tsx scripts/generate-schemas.ts` (or `npm run schemas`).
 * Schemas describe the *input* side (io: 'input'): fields with defaults are
 * optional to send, which is what a producer or policy author needs to know.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AppConnectedSchema, PurchaseRequestSchema, SCHEMA_VERSION } from '../functions/domain/events';
import { PolicySchema } from '../functions/domain/policy';

const SCHEMA_ID_BASE = 'https://schemas.procurement-guardrail.dev/';

interface SchemaFile {
  fileName: string;
  title: string;
  schema: z.core.$ZodType;
}

const SCHEMA_FILES: SchemaFile[] = [
  {
    fileName: `purchase-request.v${SCHEMA_VERSION}.schema.json`,
    title: 'Purchase Request Submitted (detail)',
    schema: PurchaseRequestSchema,
  },
  {
    fileName: `app-connected.v${SCHEMA_VERSION}.schema.json`,
    title: 'App Connected (detail)',
    schema: AppConnectedSchema,
  },
  { fileName: 'policy.schema.json', title: 'Procurement Guardrail policy', schema: PolicySchema },
];

/** File name → file text, exactly as committed (stable key order, trailing newline). */
export function generateSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const { fileName, title, schema } of SCHEMA_FILES) {
    const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
    const { $schema, ...rest } = generated;
    const document = { $schema, $id: `${SCHEMA_ID_BASE}${fileName}`, title, ...rest };
    files[fileName] = `${JSON.stringify(document, null, 2)}\n`;
  }
  return files;
}

export const SCHEMAS_DIR = resolve(__dirname, '..', 'events', 'schemas');

export function writeSchemas(dir: string = SCHEMAS_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(generateSchemas()).map(([fileName, text]) => {
    const path = join(dir, fileName);
    writeFileSync(path, text);
    return path;
  });
}

if (require.main === module) {
  for (const path of writeSchemas()) console.log(`wrote ${path}`);
}
