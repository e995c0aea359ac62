import type { Vendor } from '../../../functions/domain/policy';
import { domainKey, normalisedNameKey, VendorCatalogue } from '../../../functions/domain/vendor-catalogue';
import { policyWith } from './fixtures';

const catalogue = new VendorCatalogue(policyWith().vendors);

describe('VendorCatalogue.match', () => {
  it('matches the exact name whatever the letter case and spacing', () => {
    for (const name of ['Dropbox', 'dropbox', '  DROPBOX ']) {
      expect(catalogue.match(name)).toMatchObject({ vendorId: 'dropbox', matchedBy: 'name', confidence: 'exact' });
    }
    expect(catalogue.match('rocket   chat')).toMatchObject({ vendorId: 'rocket', matchedBy: 'name' });
  });

  it('matches aliases with high confidence', () => {
    expect(catalogue.match('dropbox business')).toMatchObject({
      vendorId: 'dropbox',
      matchedBy: 'alias',
      confidence: 'high',
    });
  });

  it('matches a domain and any of its subdomains, exactly', () => {
    expect(catalogue.match('Some tool', 'dropbox.com')).toMatchObject({ vendorId: 'dropbox', matchedBy: 'domain', confidence: 'exact' });
    expect(catalogue.match('Some tool', 'www.dropbox.com')).toMatchObject({ vendorId: 'dropbox', matchedBy: 'domain' });
    expect(catalogue.match('Some tool', 'dl.eu.dropboxusercontent.com')).toMatchObject({ vendorId: 'dropbox', matchedBy: 'domain' });
  });

  it('does not match a domain that merely ends with the same letters', () => {
    expect(catalogue.match('Some tool', 'notdropbox.com')).toBeUndefined();
    expect(catalogue.match('Some tool', 'dropbox.com.evil.example')).toBeUndefined();
  });

  it('treats a name that is a domain ("dropbox.com") as a domain', () => {
    expect(catalogue.match('dropbox.com')).toMatchObject({ vendorId: 'dropbox', matchedBy: 'domain', confidence: 'exact' });
    expect(catalogue.match('https://www.Dropbox.com/home')).toMatchObject({ vendorId: 'dropbox', matchedBy: 'domain' });
  });

  it('matches plan words and legal suffixes by normalised name with medium confidence', () => {
    for (const name of ['Dropbox Enterprise', 'Dropbox, Inc.', 'Dropbox Team Pro', 'Dropbox for Business', 'Dropbox SSO login', 'Dropbox GmbH']) {
      expect(catalogue.match(name)).toMatchObject({ vendorId: 'dropbox', matchedBy: 'normalised-name', confidence: 'medium' });
    }
    expect(catalogue.match('Slack App')).toMatchObject({ vendorId: 'slack', matchedBy: 'normalised-name' });
  });

  it('prefers the exact name over a domain of another vendor', () => {
    expect(catalogue.match('Box', 'dropbox.com')).toMatchObject({ vendorId: 'box', matchedBy: 'name' });
  });

  it('prefers a domain over an alias or a similar name', () => {
    expect(catalogue.match('Dropbox Business', 'box.com')).toMatchObject({ vendorId: 'box', matchedBy: 'domain' });
  });

  it('does not match unrelated names, nor names inside other words', () => {
    expect(catalogue.match('Airtable')).toBeUndefined();
    expect(catalogue.match('Boxer')).toBeUndefined();
    expect(catalogue.match('Inc')).toBeUndefined();
  });

  it('returns the catalogue entry with the match', () => {
    const match = catalogue.match('Box');
    expect(match?.vendor.agreement?.seats).toBe(500);
    expect(match).toMatchObject({ name: 'Box', status: 'sanctioned', category: 'file-sharing' });
  });

  it('refuses an ambiguous normalised name instead of guessing', () => {
    const vendors = policyWith((p) => {
      p.vendors.push(
        { id: 'acme-a', name: 'Acme Inc', category: 'chat', status: 'tolerated' },
        { id: 'acme-b', name: 'Acme Ltd', category: 'notes', status: 'tolerated' },
      );
    }).vendors;
    const c = new VendorCatalogue(vendors);
    expect(c.match('Acme Inc')).toMatchObject({ vendorId: 'acme-a', matchedBy: 'name' });
    expect(c.match('Acme GmbH')).toBeUndefined();
  });
});

describe('VendorCatalogue.sanctionedIn', () => {
  it('lists sanctioned vendors of a category in policy order', () => {
    expect(catalogue.sanctionedIn('file-sharing').map((v) => v.id)).toEqual(['box']);
    expect(catalogue.sanctionedIn('chat').map((v) => v.id)).toEqual(['slack']);
    expect(catalogue.sanctionedIn('analytics')).toEqual([]);
  });

  it('returns a copy the caller cannot use to change the index', () => {
    catalogue.sanctionedIn('file-sharing').pop();
    expect(catalogue.sanctionedIn('file-sharing')).toHaveLength(1);
  });
});

describe('VendorCatalogue.problems', () => {
  const base: Vendor = policyWith().vendors[0];

  it('reports names, aliases and domains claimed by two vendors, with their paths', () => {
    const c = new VendorCatalogue([base, { ...base, id: 'box-2', name: 'Box Two', aliases: ['box'], domains: ['BOX.com'] }]);
    expect(c.problems).toEqual([
      'vendors[1].aliases[0]: "box" is already a name or alias of vendor "box"',
      'vendors[1].domains[0]: "box.com" is already a domain of vendor "box"',
    ]);
    // The first vendor keeps the contested keys: matching stays deterministic.
    expect(c.match('x', 'box.com')?.vendorId).toBe('box');
  });

  it('reports a domain that is not a host name', () => {
    const c = new VendorCatalogue([{ ...base, domains: ['not a domain'] }]);
    expect(c.problems).toEqual(['vendors[0].domains[0]: "not a domain" is not a domain name such as dropbox.com']);
  });
});

describe('name and domain keys', () => {
  it('normalises names for loose comparison', () => {
    expect(normalisedNameKey('Monday.com, Inc.')).toBe('monday');
    expect(normalisedNameKey('Zoom Video Communications')).toBe('zoomvideocommunications');
    expect(normalisedNameKey('Drop Box Business')).toBe('dropbox');
    expect(normalisedNameKey('Café Team')).toBe('cafe');
    expect(normalisedNameKey('Team')).toBe('team');
  });

  it('canonicalises pasted domains and rejects non-domains', () => {
    expect(domainKey('HTTPS://Files.Box.com:443/path?q=1')).toBe('files.box.com');
    expect(domainKey('box.com.')).toBe('box.com');
    expect(domainKey('Box')).toBeUndefined();
  });
});

describe('names as people type them', () => {
  it.each([
    ['Drop Box', 'dropbox'],
    ['Dropbox Prod', 'dropbox'],
    ['Dropbox SSO', 'dropbox'],
    ['Box (Legal)', 'box'],
    ['Slack - Sandbox', 'slack'],
    ['Notion | Marketing', 'notion'],
    ['Rocket Chat [EU]', 'rocket'],
  ])('%s is %s, matched by its normalised name (medium: asked about, not blocked)', (name, id) => {
    expect(catalogue.match(name)).toMatchObject({ vendorId: id, matchedBy: 'normalised-name', confidence: 'medium' });
  });

  it.each([
    ['Dropbx', 'dropbox'],
    ['Dropbxo', 'dropbox'],
    ['Dropboxx', 'dropbox'],
    ['Confluense', 'confluence'],
    ['WeTransfr', 'wetransfer'],
    ['Rocket Chta', 'rocket'],
  ])('%s is a typo of %s: a low-confidence suggestion', (name, id) => {
    expect(catalogue.match(name)).toMatchObject({ vendorId: id, matchedBy: 'similar-name', confidence: 'low' });
  });

  it('guesses nothing for short names, distant names or different numbers', () => {
    expect(catalogue.match('Bix')).toBeUndefined();
    expect(catalogue.match('Dorpbxo')).toBeUndefined();
    expect(catalogue.match('Miro')).toBeUndefined();
    const numbered = new VendorCatalogue(
      policyWith((p) => p.vendors.push({ id: 'tool-10', name: 'Toolbox 10', category: 'chat', status: 'tolerated' })).vendors,
    );
    expect(numbered.match('Toolbox 11')).toBeUndefined();
    expect(numbered.match('Tolbox 10')).toMatchObject({ vendorId: 'tool-10', confidence: 'low' });
  });

  it('names the other entries just as near', () => {
    const twins = new VendorCatalogue(
      policyWith((p) => {
        p.vendors.push({ id: 'notion', name: 'Notion', category: 'notes', status: 'tolerated' } as never);
        p.vendors.push({ id: 'motion', name: 'Motion', category: 'notes', status: 'tolerated' });
      }).vendors,
    );
    expect(twins.match('Lotion')).toMatchObject({ confidence: 'low', alsoLike: [expect.any(String)] });
  });
});
