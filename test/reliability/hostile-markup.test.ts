/**
 * Reliability 4c — markup and script in names, end to end: vendor, product,
 * requester, department, justification, app and actor names carrying HTML,
 * script, event-handler attributes, `javascript:` links and chat-markdown
 * links, sent as canonical events and as native Okta / Entra ID / Google
 * Workspace payloads, decided and notified by the real service, then shown
 * on the approvers' pages (decision page, request page, inbox). Counted as
 * rendered unescaped: a tag or attribute in a page that the benign version
 * of the same page does not have, a script/handler/`javascript:` anywhere,
 * a raw `<` or an unescaped markdown link in the chat notification, a line
 * break in an email subject; and a decision link in any body but the email,
 * or a link line in an email that is not the guardrail's own.
 */
import fc from 'fast-check';
import { normalize, type SourceName } from '../../functions/adapters/sources';
import { evaluatePurchaseRequest } from '../../functions/domain/evaluate';
import { recordIdOf, type AppConnected, type GuardrailEvent, type PurchaseRequest } from '../../functions/domain/events';
import { validateGuardrailEvent } from '../../functions/domain/use-cases/guardrail/validate';
import { preparePolicy } from '../../functions/domain/prepared-policy';
import { generateAppConnectedEvents, generatePurchaseRequests } from '../../bench/support/requests';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { NOW, defaultPolicy } from '../support/fixtures';
import { BASE_URL, IT_TOPIC, PEOPLE, approvalWorld, awsMocks, emailText, linksIn, type ApprovalWorld } from '../support/approvals';
import { recordFigures } from './support/figures';
import { HOSTILE_MARKUP, nativeSamples } from './support/mutations';
import { PROJECT_ROOT } from './support/scenarios';

const CASES = 40;

let dynamo: TestDynamo;
const mocks = awsMocks();
let world: ApprovalWorld;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  world = await approvalWorld(dynamo, mocks);
});
afterAll(async () => {
  mocks.restore();
  await dynamo.teardown();
});

/** Tags with their attributes; data can only add one if its `<` reached the page unescaped. */
function tags(page: string): { name: string; attrs: string }[] {
  return [...page.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*)>/g)].map((m) => ({ name: m[1].toLowerCase(), attrs: m[2] }));
}

/** What is wrong with a page that shows hostile names, judged against the benign version's tags. */
function pageProblems(page: string, allowedTags: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const t of tags(page)) {
    if (!allowedTags.has(t.name)) problems.push(`tag <${t.name}>`);
    if (/\son[a-z]+\s*=/i.test(t.attrs)) problems.push(`event handler attribute in <${t.name}>`);
    if (/javascript:/i.test(t.attrs)) problems.push(`javascript: in <${t.name}>`);
  }
  for (const raw of HOSTILE_MARKUP.filter((h) => h.includes('<'))) if (page.includes(raw)) problems.push(`raw ${raw}`);
  return problems;
}

/**
 * What is wrong with a chat notification's markdown fields: raw `<` other
 * than the app's own links, an unescaped markdown link, a live URL from the
 * data. `metadata.summary` is left out: it is the plain-text subject (the
 * preview line), checked and reported separately.
 */
function chatProblems(chat: unknown): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (path === 'chat.metadata.summary') return;
    if (typeof value === 'string') {
      const stripped = value.replace(/<https:\/\/approvals\.example\.com\/[^>|]*\|[^>]*>/g, '');
      if (stripped.includes('<')) problems.push(`${path}: raw <`);
      if (/(^|[^\\])\]\(/.test(stripped)) problems.push(`${path}: unescaped markdown link`);
      // A bare URL would be auto-linked; `javascript:` is only live inside a link, which the two checks above catch.
      if (/https?:\/\/evil/i.test(stripped)) problems.push(`${path}: live link from data`);
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
  };
  visit(chat, 'chat');
  return problems;
}

const hostileName = fc
  .tuple(
    fc.constantFrom(...HOSTILE_MARKUP),
    fc.string({ maxLength: 12 }).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, '')),
    fc.constantFrom(...HOSTILE_MARKUP),
  )
  .map(([a, b, c]) => `${a} ${b} ${c}`.slice(0, 190));

test('HTML, script and markdown links in vendor and app names: rendered escaped in every page and notification', async () => {
  const policy = defaultPolicy();
  const prepared = preparePolicy(policy);
  const names = fc.sample(hostileName, { numRuns: CASES, seed: 6060 });
  // Review requests (so a notification and a decision page exist), one per hostile name.
  const purchases = generatePurchaseRequests(policy, 600, { seed: 606, idPrefix: 'MARKUP' })
    .filter((r) => ['Marketing', 'Sales', 'Finance', 'Operations'].includes(r.requester.department ?? ''))
    .filter((r) => evaluatePurchaseRequest(r, prepared, NOW).outcome === 'review')
    .slice(0, CASES);
  const apps = generateAppConnectedEvents(policy, CASES, { seed: 607, idPrefix: 'MARKUP' });

  const events: GuardrailEvent[] = [];
  let rejectedBySchema = 0;
  const accept = (event: GuardrailEvent) => {
    const checked = validateGuardrailEvent(event.kind, JSON.parse(JSON.stringify(event.detail)));
    if (checked.ok) events.push(checked.event);
    else rejectedBySchema++;
  };
  names.forEach((name, i) => {
    const p: PurchaseRequest = purchases[i];
    accept({
      kind: 'purchase-request',
      detail: { ...p, vendor: { name }, product: `${name} Pro`, requester: { ...p.requester, name }, justification: `${name}\n${name}` },
    });
    const a: AppConnected = apps[i];
    accept({
      kind: 'app-connected',
      detail: {
        ...a,
        app: { name },
        actor: { type: 'user', email: `user${i}@example.com`, displayName: name },
        connectionKind: 'oauth-consent',
        adminConsent: true,
      },
    });
  });

  // Native payloads whose app name is hostile: the source normaliser's output goes the same way.
  let nativeEvents = 0;
  for (const source of ['okta', 'entra-id', 'google-workspace'] as SourceName[]) {
    for (const [i, sample] of nativeSamples(PROJECT_ROOT, source).entries()) {
      const result = normalize(source, sample.payload);
      if (result.status !== 'ok' || result.events[0].kind !== 'app-connected') continue;
      const original = (result.events[0].detail as AppConnected).app.name;
      const hostile = names[i % names.length];
      const payload = JSON.parse(JSON.stringify(sample.payload).split(JSON.stringify(original).slice(1, -1)).join(JSON.stringify(hostile).slice(1, -1)));
      const again = normalize(source, payload);
      if (again.status !== 'ok') continue;
      for (const e of again.events) {
        accept(e);
        nativeEvents++;
      }
    }
  }

  for (const event of events) await world.submit(event);

  // Notifications: chat payload escaped, subjects on one line, decision links only in the email body,
  // and no link line in an email but the guardrail's own.
  let notifications = 0;
  let plainSummariesWithMarkup = 0;
  let decisionLinksOutsideEmail = 0;
  let foreignLinkLines = 0;
  const unescaped: string[] = [];
  for (const publish of world.published(IT_TOPIC)) {
    notifications++;
    const bodies = JSON.parse(publish.Message!) as Record<string, string>;
    for (const [protocol, body] of Object.entries(bodies)) if (protocol !== 'email' && /\/decide\?token=/.test(body)) decisionLinksOutsideEmail++;
    for (const line of bodies.email.split('\n')) {
      const link = /^\s*(Approve|Reject|Ask for more information|Request page \(sign in to open\)|All pending requests): (\S+)$/.exec(line);
      if (link && !link[2].startsWith(BASE_URL)) foreignLinkLines++;
    }
    if (bodies.https) {
      const chat = JSON.parse(bodies.https) as { metadata?: { summary?: string } };
      unescaped.push(...chatProblems(chat));
      if (/[<>]|\]\(/.test(chat.metadata?.summary ?? '')) plainSummariesWithMarkup++;
    }
    if (/[\r\n\u2028\u2029]/.test(publish.Subject ?? '')) unescaped.push('subject with a line break');
  }

  // Pages: the benign version of each page defines which tags are allowed.
  const marcus = { email: PEOPLE.marcus };
  const benign = generatePurchaseRequests(policy, 200, { seed: 608, idPrefix: 'BENIGN' }).find(
    (r) => r.requester.department === 'Marketing' && evaluatePurchaseRequest(r, prepared, NOW).outcome === 'review',
  )!;
  const benignApp: AppConnected = {
    ...apps[0],
    sourceEventId: 'BENIGN-APP',
    app: { name: 'Benign Notes' },
    connectionKind: 'oauth-consent',
    adminConsent: true,
    department: 'Marketing',
  };
  await world.submit({ kind: 'purchase-request', detail: benign });
  await world.submit({ kind: 'app-connected', detail: benignApp });
  const benignLinks = linksIn(emailText(world.published(IT_TOPIC).find((p) => emailText(p).includes(benign.requestId))!));
  const allowed = new Set<string>();
  for (const page of [
    await world.call({ url: benignLinks.approve }),
    await world.call({ url: `/requests/${encodeURIComponent(recordIdOf({ kind: 'purchase-request', detail: benign }))}`, identity: marcus }),
    await world.call({ url: `/requests/${encodeURIComponent(`${benignApp.source}:${benignApp.sourceEventId}`)}`, identity: marcus }),
    await world.call({ url: '/inbox', identity: marcus }),
  ]) {
    expect(page.statusCode).toBe(200);
    for (const t of tags(page.body)) allowed.add(t.name);
  }

  let pages = 0;
  for (const publish of world.published(IT_TOPIC)) {
    const text = emailText(publish);
    // App-review updates link to the request page (opened below), not to a decision page.
    if (!text.includes(BASE_URL) || !/^\s*Approve: /m.test(text)) continue;
    const page = await world.call({ url: linksIn(text).approve });
    if (page.statusCode !== 200) continue;
    pages++;
    unescaped.push(...pageProblems(page.body, allowed));
  }
  for (const event of events) {
    const id = recordIdOf(event);
    const page = await world.call({ url: `/requests/${encodeURIComponent(id)}`, identity: marcus });
    if (page.statusCode !== 200) continue;
    pages++;
    unescaped.push(...pageProblems(page.body, allowed));
  }
  const inbox = await world.call({ url: '/inbox', identity: marcus });
  pages++;
  unescaped.push(...pageProblems(inbox.body, allowed));
  // A name with HTML specials must never appear as is (a markdown-only name legitimately does: HTML does not read markdown).
  const hostileInInbox = names.filter((n) => /[<>&"'`=]/.test(n) && inbox.body.includes(n)).length;

  recordFigures({
    suite: 'hostile-markup',
    title: '4c. Hostile input: markup in names (pages and notifications)',
    figures: {
      'Hostile names (fast-check, seed 6060) in purchase and app events': names.length,
      'Events from native payloads (Okta, Entra ID, Google Workspace) with hostile app names': nativeEvents,
      'Events decided': events.length,
      'Rejected by the canonical schema (control characters)': rejectedBySchema,
      'Notifications checked (email subject, chat payload)': notifications,
      'Pages checked (decision pages, request pages, inbox)': pages,
      'Hostile names shown verbatim in the inbox (must be 0: they are escaped)': hostileInInbox,
      'Rendered unescaped (pages; chat title, description, next steps, keywords, context)': unescaped.length,
      'Chat metadata.summary lines carrying raw markup (plain-text preview, see note)': plainSummariesWithMarkup,
      'Non-email bodies (chat, SQS, Lambda, HTTP(S), email-json, default) carrying a decision link (must be 0)': decisionLinksOutsideEmail,
      'Email link lines not pointing at the approvals app, e.g. from a justification (must be 0)': foreignLinkLines,
    },
    details: { unescaped: [...new Set(unescaped)] },
  });
  expect(events.length).toBeGreaterThan(CASES);
  expect(pages).toBeGreaterThan(CASES);
  expect(unescaped).toEqual([]);
  expect(hostileInInbox).toBe(0);
  expect(decisionLinksOutsideEmail).toBe(0);
  expect(foreignLinkLines).toBe(0);
});
