/** Approver prompts: one approver's personal links added to the first notification. */
import { withDecisionLinks } from '../../../../../functions/domain/use-cases/approvals/approver-prompts';
import { renderNotification } from '../../../../../functions/domain/notification';
import { recordFor, sampleEvent } from '../../../../support/fixtures';

describe('withDecisionLinks', () => {
  it('adds one approver’s links to the text and as the first chat step, with the recipient attribute', () => {
    const record = recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
    const rendered = renderNotification(record);
    const links = { approve: 'https://a.example/decide?token=1', reject: 'https://a.example/decide?token=2', 'request-info': 'https://a.example/decide?token=3' };
    const approver = { email: 'marcus.lee@example.com', name: 'Marcus [Lee](http://evil)', tier: 'it-manager' as const };
    const message = withDecisionLinks(rendered, { approver, tier: 'it-manager', links, expiresAt: new Date('2026-12-11T12:00:00Z'), inboxUrl: 'https://a.example/inbox' });
    expect(message.text.startsWith(rendered.text)).toBe(true);
    expect(message.text).toContain('  Approve: https://a.example/decide?token=1');
    expect(message.text).toContain('These links are yours alone, work once, and expire 2026-12-11 12:00 UTC.');
    expect(message.text).toContain('All pending requests: https://a.example/inbox');
    const steps = (message.chat as typeof rendered.chat).content.nextSteps;
    expect(steps[0]).toBe(
      'Decide (Marcus \\[Lee\\]\\(http\\[:\\]//evil\\), until 2026-12-11 12:00 UTC): <https://a.example/decide?token=1|Approve> · <https://a.example/decide?token=2|Reject> · <https://a.example/decide?token=3|Ask for more information>',
    );
    expect(steps.length).toBeLessThanOrEqual(5);
    expect(message.attributes).toMatchObject({ recipient: 'marcus.lee@example.com', tier: 'it-manager', outcome: 'review' });
  });
});
