/** The `Guardrail Decision` event of the automatic evaluation: the decision, with the source's own ids echoed back. */
import { decisionEventOf } from '../../../functions/domain/decision-event';
import { recordFor, sampleEvent } from '../../support/fixtures';

describe('decisionEventOf', () => {
  it('carries the decision and echoes the procurement tool ids', () => {
    const record = recordFor(sampleEvent('purchase-request/salesforce-large-cio.json'));
    expect(decisionEventOf(record)).toEqual({
      recordId: 'coupa:PR-2026-1044',
      revision: 1,
      kind: 'purchase-request',
      outcome: record.decision.outcome,
      severity: record.decision.severity,
      summary: record.decision.summary,
      findings: record.decision.findings,
      requiredApprover: 'cio',
      policyVersion: record.policyVersion,
      decidedAt: record.decision.evaluatedAt,
      decidedBy: 'policy',
      sourceRef: { source: 'coupa', id: 'PR-2026-1044' },
    });
  });

  it('echoes the identity provider and its event id for app events', () => {
    const event = sampleEvent('app-connected/okta-app-created-unknown.json');
    const detail = event.detail as { source: string; sourceEventId: string };
    const decisionEvent = decisionEventOf(recordFor(event));
    expect(decisionEvent.sourceRef).toEqual({ source: detail.source, id: detail.sourceEventId });
    expect(decisionEvent).not.toHaveProperty('requiredApprover');
  });
});
