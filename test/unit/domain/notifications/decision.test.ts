/** The first notification of a request: subject, email text, chat payload, attributes, hostile names. */
import { SUBJECT_MAX_CHARS, decisionNotification, unaddressed } from '../../../../functions/domain/notifications';
import type { GuardrailEvent, PurchaseRequest } from '../../../../functions/domain/events';
import type { RequestRecord } from '../../../../functions/domain/records';
import { recordFor, sampleEvent } from '../../../support/fixtures';

const renderNotification = (record: RequestRecord) => unaddressed(decisionNotification(record));

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function purchase(overrides: (d: PurchaseRequest) => void, sample = 'purchase-request/dropbox-marketing-confidential.json'): RequestRecord {
  const event = sampleEvent(sample) as Extract<GuardrailEvent, { kind: 'purchase-request' }>;
  overrides(event.detail);
  return recordFor(event);
}

/** Every string in the chat payload a chat client renders as markdown. */
function markdownFields(record: RequestRecord): string[] {
  const { chat } = renderNotification(record);
  return [chat.content.title, chat.content.description, ...chat.content.nextSteps, ...chat.content.keywords];
}

describe('decisionNotification: purchase requests', () => {
  const record = recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
  const n = renderNotification(record);

  it('writes the subject as outcome, vendor, department and yearly amount', () => {
    expect(n.subject).toBe('[REVIEW] Dropbox for Marketing — 4,320 USD/yr');
  });

  it('says in the body what was requested, by whom, for how much, and every finding with its suggestion', () => {
    expect(n.text).toContain('Guardrail decision: REVIEW (severity high)');
    expect(n.text).toMatch(/Requested: +Dropbox Business Advanced from Dropbox \(dropbox\.com\)/);
    expect(n.text).toMatch(/Requested by: +Maria Lopez <maria\.lopez@example\.com>/);
    expect(n.text).toMatch(/Department: +Marketing/);
    expect(n.text).toMatch(/Amount: +360 USD\/mo \(4,320 USD\/yr; 4,320 USD total contract value\)/);
    expect(n.text).toMatch(/Data classification: +confidential/);
    expect(n.text).toMatch(/Signing date: +2027-01-08/);
    expect(n.text).toContain(`Policy version ${record.policyVersion}`);
    expect(n.text).toContain(`record ${record.recordId}`);
    for (const finding of record.decision.findings) {
      expect(n.text).toContain(`[${finding.severity.toUpperCase()}] ${finding.dimension}: ${finding.message}`);
      if (finding.suggestion) expect(n.text).toContain(`Suggestion: ${finding.suggestion}`);
    }
  });

  it('sets the attributes subscriptions filter on', () => {
    expect(n.attributes).toEqual({ type: 'decision', outcome: 'review', severity: 'high', kind: 'purchase-request', department: 'Marketing', copy: 'first' });
    expect(n.recordId).toBe('coupa:PR-2026-1042');
  });

  it('builds a Chatbot custom notification threaded by record id', () => {
    expect(n.chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
      metadata: { threadId: 'coupa:PR-2026-1042', eventType: 'Guardrail Decision' },
    });
    expect(n.chat.content.title).toContain('*REVIEW*');
    expect(n.chat.content.nextSteps[0]).toMatch(/^Review the findings .* before the planned signing date 2027-01-08\.$/);
    expect(n.chat.content.nextSteps.length).toBeLessThanOrEqual(5);
    expect(n.chat.content.keywords).toEqual(expect.arrayContaining(['REVIEW', 'high', 'purchase-request', 'Marketing']));
    for (const value of Object.values(n.chat.metadata.additionalContext)) expect(typeof value).toBe('string');
  });

  it('renders a block with a subject that says so and a next step that stops the signature', () => {
    const blocked = renderNotification(recordFor(sampleEvent('purchase-request/wetransfer-prohibited.json')));
    expect(blocked.subject).toMatch(/^\[BLOCK\] /);
    expect(blocked.attributes.outcome).toBe('block');
    expect(blocked.text).toContain('the contract must not be signed as requested');
  });

  it('shows the annualised amount in the policy currency when the request is in another currency', () => {
    const foreign = renderNotification(recordFor(sampleEvent('purchase-request/salesforce-large-cio.json')));
    expect(foreign.subject).toBe('[REVIEW] Salesforce for Sales — 591,600 USD/yr');
    expect(foreign.text).toMatch(/Approver: +cio \(two-step/);
  });
});

describe('decisionNotification: app connections', () => {
  it('names the app, what happened and where, and who did it', () => {
    const record = recordFor(sampleEvent('app-connected/entra-admin-consent.json'));
    const n = renderNotification(record);
    expect(n.subject).toBe('[REVIEW] Expensify — admin consent in Entra ID');
    expect(n.text).toMatch(/Done by: +Casey IT-Admin <it\.admin@example\.com>/);
    expect(n.text).toMatch(/Scopes: +.*Mail\.ReadWrite/);
    expect(n.attributes).toEqual({ type: 'decision', outcome: 'review', severity: 'high', kind: 'app-connected', copy: 'first' });
  });

  it('says when the source named no person instead of inventing one', () => {
    const n = renderNotification(recordFor(sampleEvent('app-connected/okta-user-assigned-sanctioned.json')));
    expect(n.text).toMatch(/Done by: +(a system actor|unknown|an application)/);
  });
});

describe('decisionNotification: limits', () => {
  it('keeps the subject under 100 characters, one line, with outcome and amount intact, however long the names', () => {
    const record = purchase((d) => {
      d.vendor.name = 'V'.repeat(200);
      d.requester.department = 'Department of Extremely Long Names and Further Subdivisions';
    });
    const { subject } = renderNotification(record);
    expect(Array.from(subject).length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
    expect(subject).toMatch(/^\[REVIEW\] V+… — 4,320 USD\/yr$/);
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('never splits an emoji when shortening', () => {
    const record = purchase((d) => {
      d.vendor.name = '🚀'.repeat(120);
    });
    const { subject } = renderNotification(record);
    expect(subject).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(Array.from(subject).length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
  });

  it('bounds the chat description and lists when a decision has many findings', () => {
    const record = recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
    const many = Array.from({ length: 80 }, (_, i) => ({
      code: `F${i}`,
      dimension: 'security' as const,
      severity: 'low' as const,
      message: `Finding number ${i} `.repeat(10),
      suggestion: `Do thing ${i}`,
    }));
    record.decision = { ...record.decision, findings: many };
    const n = renderNotification(record);
    expect(n.chat.content.description.length).toBeLessThanOrEqual(4000);
    expect(n.chat.content.nextSteps.length).toBeLessThanOrEqual(5);
    expect(n.text).toContain('… and 30 more findings in the stored record');
  });
});

describe('decisionNotification: hostile names', () => {
  const hostile = [
    '*[Approve now](http://evil.example/approve)*',
    '<script>alert(1)</script>',
    '<!channel> @here `rm -rf` ~~gone~~ _x_ # Heading | table |',
    '![img](https://evil.example/pixel.png)',
    'Drop\u202eboxmoc.live',
  ];

  it.each(hostile)('%s cannot inject links, markup or formatting into the chat message', (name) => {
    const record = purchase((d) => {
      d.vendor.name = name;
      d.product = `${name} Pro`;
      d.requester.department = name;
      d.requester.name = name;
    });
    for (const field of markdownFields(record)) {
      expect(field).not.toMatch(/\]\(/); // no markdown link or image
      expect(field).not.toMatch(/<[a-z!/]/i); // no raw tags or Slack <!channel> / <url|text>
      expect(field).not.toMatch(/https?:\/\//); // no auto-linked URL
      expect(field).not.toContain('\u202e'); // no direction override
      // Our own text never uses these; any left after removing backslash escapes came from the name unescaped.
      expect(field.replace(/\\[\\`*_~[\]()#|!{}]/g, '')).not.toMatch(/[`~[\]#|{}]/);
    }
  });

  it('shows the hostile characters escaped rather than dropping them', () => {
    const record = purchase((d) => {
      d.vendor.name = '*[Approve now](http://evil.example)*';
    });
    const { chat } = renderNotification(record);
    expect(chat.content.title).toContain('\\*\\[Approve now\\]\\(http\\[:\\]//evil.example\\)\\*');
    expect(renderNotification(purchase((d) => void (d.vendor.name = '<script>'))).chat.content.title).toContain('&lt;script&gt;');
  });

  it('keeps control characters and line breaks out of the subject, body lines and attributes', () => {
    const record = purchase((d) => {
      d.vendor.name = 'Evil\r\nSubject: fake\u0007\u0085';
      d.requester.department = 'Sales\nBcc: everyone';
    });
    const n = renderNotification(record);
    expect(n.subject).not.toMatch(CONTROL);
    expect(n.subject).toContain('Evil Subject: fake');
    expect(n.attributes.department).toBe('Sales Bcc: everyone');
    // Injected text stays inside its own line: no body line starts with the injected header.
    expect(n.text.split('\n').some((line) => /^(Subject|Bcc):/.test(line))).toBe(false);
    for (const line of n.text.split('\n')) expect(line).not.toMatch(CONTROL);
  });
});
