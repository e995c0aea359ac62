/**
 * A decision link is a bearer credential for one approver: it may appear only
 * in the `email` body of the message addressed to that approver. Every
 * message type is rendered through the real use cases (real signer), mapped
 * to SNS protocol bodies by the real adapter, and every non-email body is
 * scanned for any link to the decision page.
 */
import { SignedDecisionLinkIssuer } from '../../../../functions/adapters/security/decision-link-issuer';
import { SignedRenewalLinkIssuer } from '../../../../functions/adapters/security/renewal-link-signer';
import { renewalCalendar } from '../../../../functions/domain/renewals/calendar';
import { StaticKeyProvider } from '../../../../functions/adapters/security/signing-keys';
import { SNS_PROTOCOL_BODIES, snsPublishInput } from '../../../../functions/adapters/notifier/sns-notifier';
import { applyApproverAction, requestSummaryOf } from '../../../../functions/domain/approvals';
import {
  MESSAGE_TYPES,
  amendmentMessages,
  appReviewUpdate,
  broadcast,
  departmentOutreach,
  describeChanges,
  digestMessage,
  renewalMessage,
  requesterUpdate,
  shadowItReport,
  type Message,
} from '../../../../functions/domain/notifications';
import { activityByDepartment } from '../../../../functions/domain/use-cases/outreach/activity';
import { lastCompleteMonth, lastCompleteWeek } from '../../../../functions/domain/use-cases/outreach/periods';
import type { Policy } from '../../../../functions/domain/policy';
import type { PurchaseRequestRecord, RequestRecord } from '../../../../functions/domain/records';
import {
  approverMessages,
  approverPrompts,
  initialApproverNotifications,
  pageLinksFor,
} from '../../../../functions/domain/use-cases/approvals/approver-prompts';
import { approvalSettingsOf } from '../../../../functions/domain/use-cases/approvals/settings';
import { NOW, defaultPolicy, recordFor, sampleEvent } from '../../../support/fixtures';

const BASE = 'https://approvals.example.com/';
const keys = new StaticKeyProvider({ current: { id: 'k1', key: Buffer.alloc(32, 7) }, previous: [] });
const links = new SignedDecisionLinkIssuer({ keys, baseUrl: BASE, inbox: true });
const renewalLinks = new SignedRenewalLinkIssuer({ keys, baseUrl: BASE, inbox: true });
/** Anything that opens the decision page, or a token on its own. */
const DECISION_LINK = /\/decide\b|token=|eyJhbGciOi/;

/** Two IT managers for Marketing, so one request has two addressees. */
function policyWithTwoManagers(): Policy {
  const policy = defaultPolicy();
  policy.approvals!.approvers.push({ email: 'mona.field@example.com', name: 'Mona Field', tier: 'it-manager', departments: ['Marketing'] });
  return policy;
}

const policy = policyWithTwoManagers();
const settings = approvalSettingsOf(policy);
const record = recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'), policy) as PurchaseRequestRecord;

/** One message of every type, as the use cases address them. */
async function everyMessage(): Promise<Message<object>[]> {
  const messages: Message<object>[] = [];
  messages.push(...(await initialApproverNotifications({ record, settings, links, now: NOW })).messages);
  for (const kind of ['remind', 'escalate', 'expire'] as const) {
    const tier = kind === 'escalate' ? 'it-director' : 'it-manager';
    messages.push(
      ...(await approverPrompts(
        links,
        record,
        { id: 'e', type: 'approver-notification', kind, tier, ...(kind === 'escalate' ? { fromTier: 'it-manager' as const } : {}) },
        settings,
        NOW,
      )),
    );
  }
  const first = applyApproverAction({
    state: { ...record.approval, twoStep: true, requiredApprover: 'it-director' },
    recordId: record.recordId,
    approver: { email: 'marcus.lee@example.com', name: 'Marcus Lee', tier: 'it-manager' },
    action: 'approve',
    now: NOW,
  });
  if (!first.ok) throw new Error(first.reason);
  const twoStep: RequestRecord = { ...record, approval: first.state };
  messages.push(
    ...(await approverPrompts(links, twoStep, { id: 'e', type: 'approver-notification', kind: 'second-signature', tier: 'it-director' }, settings, NOW)),
  );
  const summary = requestSummaryOf(record);
  const expiresAt = new Date(NOW.getTime() + 86_400_000);
  const signed = await links.linksFor({ recordId: record.recordId, approverEmail: 'marcus.lee@example.com', expiresAt, now: NOW });
  messages.push(
    digestMessage({
      approver: { email: 'marcus.lee@example.com', name: 'Marcus Lee' },
      tier: 'it-manager',
      items: [{ summary, links: signed, linksExpireAt: expiresAt, requestUrl: links.requestUrl(record.recordId) }],
      now: NOW,
    }),
  );
  messages.push(requesterUpdate({ record, summary, state: first.state, step: first.step }));
  const amended = { ...record, detail: { ...record.detail, amount: { value: 9000, currency: 'USD' } } };
  const amendment = amendmentMessages({
    previousOutcome: record.decision.outcome,
    after: amended,
    changes: describeChanges(record, amended, ['amount']),
    approvalVoided: true,
    revision: 2,
    links: pageLinksFor(links, record.recordId),
  });
  messages.push(...(await approverMessages({ record: amended, draft: amendment.it, settings, links, now: NOW })).messages);
  if (amendment.requester) messages.push(amendment.requester);
  // Outreach: the week and month the record arrived in.
  const week = lastCompleteWeek(new Date(NOW.getTime() + 7 * 86_400_000));
  const activity = activityByDepartment([record], policy, week);
  const marketing = policy.departments.find((d) => d.name === 'Marketing')!;
  messages.push(departmentOutreach({ activity: { ...activity.get('Marketing')!, department: marketing }, period: week, policy, now: NOW }));
  const month = lastCompleteMonth(new Date(NOW.getTime() + 31 * 86_400_000));
  messages.push(
    shadowItReport({
      activity: [...activityByDepartment([record], policy, month).values()],
      period: month,
      now: NOW,
      consoleUrl: 'https://approvals.example.com/',
    }),
  );
  // The renewal reminder carries the owner's signed links, which are bearer credentials too.
  const okta = (await renewalCalendar({ policy, contracts: [], today: '2026-11-30' })).find((r) => r.key === 'vendor:okta')!;
  const ownerLinks = await renewalLinks.linksFor({ key: okta.key, renewalDate: okta.renewalDate, owner: okta.owner!, expiresAt, now: NOW });
  messages.push(
    renewalMessage({ renewal: okta, step: 'reminder', now: NOW, ownerLinks: { links: ownerLinks, expiresAt }, calendarUrl: renewalLinks.calendarUrl() }),
  );
  messages.push(
    broadcast(
      appReviewUpdate({
        entry: {
          appKey: 'app:notionly',
          name: 'Notionly',
          status: 'discovered',
          firstSeen: NOW.toISOString(),
          lastSeen: NOW.toISOString(),
          departments: ['Finance'],
          sources: ['okta'],
          connections: ['oauth-consent', 'admin-consent'],
          riskyScopes: [],
          highestRisk: 'high',
          requests: [],
        },
        reviewId: 'okta:e1',
        changes: [{ kind: 'admin-consent', detail: 'an administrator consented for the whole organisation', at: NOW.toISOString(), eventId: 'okta:e2' }],
        people: 3,
        links: pageLinksFor(links, 'okta:e1'),
      }),
    ),
  );
  return messages;
}

let messages: Message<object>[];
beforeAll(async () => {
  messages = await everyMessage();
});

it('covers every message type', () => {
  expect(new Set(messages.map((m) => m.data.type))).toEqual(new Set(MESSAGE_TYPES));
});

it('puts no decision link in any body but email: chat, SQS, Lambda, HTTP(S), email-json, Firehose, SMS, default', () => {
  const leaks: string[] = [];
  for (const m of messages) {
    const bodies = JSON.parse(snsPublishInput('arn:aws:sns:eu-west-1:1:t', m).Message) as Record<string, string>;
    expect(Object.keys(bodies).sort()).toEqual(Object.keys(SNS_PROTOCOL_BODIES).sort());
    for (const [protocol, body] of Object.entries(bodies)) {
      if (protocol !== 'email' && DECISION_LINK.test(body)) leaks.push(`${m.data.type} → ${protocol}`);
    }
    if (DECISION_LINK.test(JSON.stringify(m.chat)) || DECISION_LINK.test(JSON.stringify(m.data))) leaks.push(`${m.data.type} → chat/data`);
  }
  expect(leaks).toEqual([]);
});

it('links chat and machine copies to the request page instead', () => {
  const first = messages.find((m) => m.data.type === 'decision')!;
  const requestPage = `${BASE}requests/${encodeURIComponent(record.recordId)}`;
  expect(first.data.links.request).toBe(requestPage);
  expect(first.chat.content.nextSteps).toContain(`<${requestPage}|Open the request page \\(sign-in\\)>`);
});

it('gives each approver an email with their own links and nobody else’s', async () => {
  const { messages: copies, recipients } = await initialApproverNotifications({ record, settings, links, now: NOW });
  expect(recipients).toEqual(['marcus.lee@example.com', 'mona.field@example.com']);
  const tokensOf = (text: string) => [...text.matchAll(/decide\?token=([\w.-]+)/g)].map((match) => match[1]);
  const [marcus, mona] = copies;
  expect(marcus.attributes).toMatchObject({ recipient: 'marcus.lee@example.com', copy: 'first' });
  expect(mona.attributes).toMatchObject({ recipient: 'mona.field@example.com', copy: 'additional' });
  expect(tokensOf(marcus.text)).toHaveLength(3);
  expect(tokensOf(mona.text)).toHaveLength(3);
  expect(tokensOf(marcus.text).filter((t) => tokensOf(mona.text).includes(t))).toEqual([]);
  for (const token of tokensOf(marcus.text)) {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(JSON.stringify(claims)).toContain('marcus.lee@example.com');
  }
  // Chat and queue copies are the same for both: only the email differs.
  expect(marcus.chat).toEqual(mona.chat);
  expect(marcus.data).toEqual(mona.data);
});
