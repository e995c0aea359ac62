/**
 * The JSON Schemas in events/schemas/ are generated from the zod schemas; a
 * change to one without regenerating (`npx tsx scripts/generate-schemas.ts`)
 * fails here, so producers never read a stale contract.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSchemas, SCHEMAS_DIR } from '../../../scripts/generate-schemas';

describe('generated JSON Schemas', () => {
  const fresh = generateSchemas();

  it('produces the event and policy schemas', () => {
    expect(Object.keys(fresh).sort()).toEqual(['app-connected.v1.schema.json', 'policy.schema.json', 'purchase-request.v1.schema.json']);
  });

  it.each(Object.keys(generateSchemas()))('committed %s equals a fresh generation', (fileName) => {
    expect(readFileSync(join(SCHEMAS_DIR, fileName), 'utf8')).toBe(fresh[fileName]);
  });

  it('has no stray schema files', () => {
    expect(readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(fresh).sort());
  });

  it('describes inputs: defaulted policy fields are optional, required event fields are required', () => {
    const policy = JSON.parse(fresh['policy.schema.json']);
    const vendor = policy.properties.vendors.items;
    expect(vendor.required).toEqual(expect.arrayContaining(['id', 'name', 'category', 'status']));
    expect(vendor.required).not.toContain('aliases');
    expect(vendor.properties.status.enum).toEqual(['sanctioned', 'tolerated', 'restricted', 'prohibited']);
    const purchase = JSON.parse(fresh['purchase-request.v1.schema.json']);
    expect(purchase.$id).toMatch(/purchase-request\.v1\.schema\.json$/);
    // Only the id is required: a source leaves out what it does not know, and policy asks for it.
    expect(purchase.required).toEqual(['requestId']);
    const amount = purchase.properties.amount.anyOf.find((s: { type?: string }) => s.type === 'object');
    expect(amount.properties.value.type).toEqual(['string', 'number', 'boolean', 'null']);
    const app = JSON.parse(fresh['app-connected.v1.schema.json']);
    expect(app.properties.connectionKind.enum).toEqual(['sso-app-created', 'user-assigned', 'oauth-consent']);
  });
});
