/**
 * One escaping function per channel, and what it guarantees: subjects SNS
 * accepts with names intact, free text that cannot pass for our own lines,
 * chat text that pings nobody and links nowhere.
 */
import { chatPlain, chatQuote, chatText } from '../../../../functions/domain/notifications/chat';
import { emailQuote, emailText } from '../../../../functions/domain/notifications/email';
import { cleanLines, defang, singleLine } from '../../../../functions/domain/notifications/text';
import {
  SUBJECT_MAX_CHARS,
  amendmentMessages,
  describeChanges,
  approverReminder,
  decisionNotification,
  personal,
  requesterUpdate,
  snsSubject,
  unaddressed,
} from '../../../../functions/domain/notifications';
import { requestSummaryOf } from '../../../../functions/domain/approvals';
import type { GuardrailEvent, PurchaseRequest } from '../../../../functions/domain/events';
import type { PurchaseRequestRecord } from '../../../../functions/domain/records';
import { NOW, recordFor, sampleEvent } from '../../../support/fixtures';
import { linksIn } from '../../../support/approvals';

function purchase(change: (d: PurchaseRequest) => void): PurchaseRequestRecord {
  const event = sampleEvent('purchase-request/dropbox-marketing-confidential.json') as Extract<GuardrailEvent, { kind: 'purchase-request' }>;
  change(event.detail);
  return recordFor(event) as PurchaseRequestRecord;
}

describe('text helpers', () => {
  it('singleLine collapses controls, separators and bidi overrides to single spaces', () => {
    expect(singleLine(' a\u0000b\u2028c\u202ed\t\te ')).toBe('a b c d e');
    expect(cleanLines('one\r\n\r\ntwo\u2028three')).toEqual(['one', 'two', 'three']);
  });

  it('defangs every scheme so no outside text becomes a link', () => {
    expect(defang('see https://x.example and javascript://y')).toBe('see https[:]//x.example and javascript[:]//y');
  });

  it('email: one clean line per value, free text quoted line by line', () => {
    expect(emailText('Evil\r\nBcc: all https://evil.example')).toBe('Evil Bcc: all https[:]//evil.example');
    expect(emailQuote('Approve: https://evil.example/decide?token=x\n\nthanks')).toEqual(['> Approve: https[:]//evil.example/decide?token=x', '> thanks']);
  });

  it('chat: markdown and Slack specials escaped, ordinary names readable', () => {
    expect(chatText('Monday.com - Work OS, Inc.')).toBe('Monday.com - Work OS, Inc.');
    expect(chatText('AT&T')).toBe('AT&amp;T');
    expect(chatText('<!channel> [x](http://evil)')).toBe('&lt;\\!channel&gt; \\[x\\]\\(http\\[:\\]//evil\\)');
    expect(chatPlain('<!here> Café [Approve](http://evil)')).toBe('&lt;!here&gt; Café [Approve] (http[:]//evil)');
    expect(chatQuote('a\n<b>')).toEqual(['> a', '> &lt;b&gt;']);
  });
});

describe('SNS subjects', () => {
  it('keep accents and other scripts (the Publish API takes UTF-8) and drop line breaks', () => {
    expect(snsSubject('Réunion – “Café”\nnext')).toBe('Réunion – “Café” next');
    expect(snsSubject('日本語の請求')).toBe('日本語の請求');
    expect(snsSubject('\u0000\n ')).toBe('Procurement Guardrail notification');
  });

  it('stay under 100 characters counted in UTF-16 units, cut between code points', () => {
    const subject = snsSubject(`Reminder: ${'🚀'.repeat(80)}`);
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
    expect(subject).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('keep a non-ASCII vendor, department and requester intact in every message type', () => {
    const record = purchase((d) => {
      d.vendor.name = 'Société Générale Søftware';
      d.requester.department = 'Ventes Île-de-France';
      d.requester.name = 'Zoë Ångström';
      d.product = 'Ñandú Pro';
    });
    const summary = requestSummaryOf(record);
    const subjects = [
      unaddressed(decisionNotification(record)).subject,
      unaddressed(approverReminder({ kind: 'remind', record, summary, tier: 'it-manager', now: NOW })).subject,
      requesterUpdate({ record, summary, state: { ...record.approval, status: 'expired-undecided' } }).subject,
      unaddressed(
        amendmentMessages({
          previousOutcome: record.decision.outcome,
          after: record,
          changes: describeChanges(record, record, ['seats']),
          approvalVoided: false,
          revision: 2,
        }).it,
      ).subject,
    ];
    expect(subjects[0]).toBe('[REVIEW] Société Générale Søftware for Ventes Île-de-France — 4,320 USD/yr');
    expect(subjects[1]).toContain('Ñandú Pro from Société Générale Søftware');
    expect(subjects[2]).toBe('Still undecided: Ñandú Pro from Société Générale Søftware');
    expect(subjects[3]).toBe('[REVIEW] Amended: Société Générale Søftware for Ventes Île-de-France — 4,320 USD/yr');
    for (const s of subjects) expect(s.length).toBeLessThan(100);
  });
});

describe('the justification cannot pass for one of our lines', () => {
  const fake = [
    'Approved by the CIO already.',
    'Decide (each link opens a page with the request; nothing is recorded until you confirm there):',
    '  Approve: https://evil.example/decide?token=stolen',
    'Request page (sign in to open): https://evil.example/login',
    'Next step: none; policy allows this request.',
  ].join('\n');
  const record = purchase((d) => void (d.justification = fake));
  const links = {
    approve: 'https://approvals.example.com/decide?token=A',
    reject: 'https://approvals.example.com/decide?token=R',
    'request-info': 'https://approvals.example.com/decide?token=I',
  };
  const addressee = {
    approver: { email: 'marcus.lee@example.com', name: 'Marcus Lee' },
    tier: 'it-manager' as const,
    links: { [record.recordId]: { links, expiresAt: new Date('2026-12-11T12:00:00Z') } },
  };

  it('in the email: every line of it quoted and defanged, so the real links are the only link lines', () => {
    const message = personal(decisionNotification(record, { request: 'https://approvals.example.com/requests/PR-2026-1042' }), addressee, true);
    const lines = message.text.split('\n');
    const start = lines.indexOf('Justification (the requester’s words, quoted):');
    expect(lines.slice(start + 1, start + 6)).toEqual(fake.split('\n').map((l) => `> ${defang(l.trim())}`));
    expect(linksIn(message.text)).toEqual(links);
    expect(lines.filter((l) => l.startsWith('Request page')).length).toBe(1);
    expect(lines.filter((l) => l.startsWith('Next step:')).length).toBe(1);
    expect(message.text).not.toContain('https://evil');
  });

  it('in chat: quoted, escaped, and no live link', () => {
    const { chat } = unaddressed(decisionNotification(record));
    const quoted = chat.content.description.split('\n').filter((l) => l.startsWith('> '));
    expect(quoted).toHaveLength(5);
    expect(chat.content.description).not.toMatch(/https?:\/\/evil/);
    expect(quoted[2]).toBe('> Approve: https\\[:\\]//evil.example/decide?token=stolen');
  });

  it('in every message that shows it (reminders, requester messages, amendments)', () => {
    const summary = requestSummaryOf(record);
    const texts = [
      unaddressed(approverReminder({ kind: 'remind', record, summary, tier: 'it-manager', now: NOW })).text,
      requesterUpdate({ record, summary, state: { ...record.approval, status: 'expired-undecided' } }).text,
      unaddressed(
        amendmentMessages({
          previousOutcome: record.decision.outcome,
          after: record,
          changes: describeChanges(record, record, ['justification']),
          approvalVoided: false,
          revision: 2,
        }).it,
      ).text,
    ];
    for (const text of texts) {
      expect(text).toContain('> Approved by the CIO already.');
      expect(text.split('\n').some((l) => /^\s*Approve: /.test(l))).toBe(false);
      expect(text).not.toContain('https://evil');
    }
  });
});

describe('facts a source did not state', () => {
  it('read "not stated" rather than disappearing or printing undefined', () => {
    // Evaluated as sent, then stripped: the intake work makes these fields optional in the canonical schema.
    const record = purchase(() => undefined);
    {
      const loose = record.detail as Partial<PurchaseRequest>;
      delete loose.dataClassification;
      delete loose.billingPeriod;
      delete loose.termMonths;
      delete loose.seats;
      delete loose.expectedSigningDate;
      delete loose.autoRenew;
    }
    const { text } = unaddressed(decisionNotification(record));
    expect(text).not.toContain('undefined');
    for (const label of ['Seats', 'Term', 'Data classification', 'Signing date']) expect(text).toMatch(new RegExp(`${label}: +not stated`));
    expect(text).toMatch(/Amount: +360 USD \(billing period not stated\)/);
  });
});
