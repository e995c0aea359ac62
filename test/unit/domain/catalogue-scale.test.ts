/**
 * A large catalogue must still match correctly. Speed is by construction
 * (Map lookups, no scans); this test only proves correctness at 10,000
 * vendors, with no timing assertions that would flake on a busy CI machine.
 */
import type { Vendor } from '../../../functions/domain/policy';
import { VendorCatalogue } from '../../../functions/domain/vendor-catalogue';

const COUNT = 10_000;
const categories = ['file-sharing', 'crm', 'chat', 'analytics', 'design'];

function generatedVendor(i: number): Vendor {
  return {
    id: `vendor-${i}`,
    name: `Vendor ${i} Cloud`,
    aliases: [`V${i} Suite`],
    domains: [`vendor${i}.example`],
    category: categories[i % categories.length],
    status: i % 7 === 0 ? 'sanctioned' : 'tolerated',
    dpaSigned: false,
    ssoSupported: false,
    scimSupported: false,
  };
}

describe('VendorCatalogue with 10,000 vendors', () => {
  const catalogue = new VendorCatalogue(Array.from({ length: COUNT }, (_, i) => generatedVendor(i)));

  it('indexes every vendor without conflicts', () => {
    expect(catalogue.size).toBe(COUNT);
    expect(catalogue.problems).toEqual([]);
  });

  it.each([0, 1, 4_999, 9_998, 9_999])('finds vendor %i by name, alias, domain, subdomain and normalised name', (i) => {
    const id = `vendor-${i}`;
    expect(catalogue.match(`vendor ${i} cloud`)).toMatchObject({ vendorId: id, matchedBy: 'name' });
    expect(catalogue.match(`V${i} SUITE`)).toMatchObject({ vendorId: id, matchedBy: 'alias' });
    expect(catalogue.match('x', `vendor${i}.example`)).toMatchObject({ vendorId: id, matchedBy: 'domain' });
    expect(catalogue.match('x', `eu.app.vendor${i}.example`)).toMatchObject({ vendorId: id, matchedBy: 'domain' });
    expect(catalogue.match(`Vendor ${i} Cloud, Inc. Enterprise`)).toMatchObject({ vendorId: id, matchedBy: 'normalised-name' });
  });

  it('does not confuse neighbours ("Vendor 1" is not "Vendor 10")', () => {
    expect(catalogue.match('Vendor 10 Cloud')?.vendorId).toBe('vendor-10');
    expect(catalogue.match('x', 'vendor1.example')?.vendorId).toBe('vendor-1');
    expect(catalogue.match('Vendor 10000 Cloud')).toBeUndefined();
  });

  it.each([0, 4_999, 9_999])('finds vendor %i through a typo, as a suggestion only, and never by a different number', (i) => {
    expect(catalogue.match(`Vendr ${i} Cloud`)).toMatchObject({ vendorId: `vendor-${i}`, matchedBy: 'similar-name', confidence: 'low' });
    expect(catalogue.match(`Vendor ${i} Clodu`)).toMatchObject({ vendorId: `vendor-${i}`, confidence: 'low' });
    expect(catalogue.match(`Vendr ${i + 20_000} Cloud`)).toBeUndefined();
  });

  it('lists sanctioned vendors per category', () => {
    const sanctionedFileSharing = catalogue.sanctionedIn('file-sharing');
    // i ≡ 0 (mod 5) and i ≡ 0 (mod 7): multiples of 35 below 10,000.
    expect(sanctionedFileSharing).toHaveLength(Math.ceil(COUNT / 35));
    expect(sanctionedFileSharing.every((v) => v.status === 'sanctioned' && v.category === 'file-sharing')).toBe(true);
  });
});
