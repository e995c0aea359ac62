/**
 * Approvals as use cases: an approver's decision from the decision page, the
 * scheduled escalation sweep, and the daily digest. The rules themselves are
 * in `approvals/` (pure); this module orchestrates them over the ports.
 *
 * Reliability without transactions: every approval change is ONE conditional
 * write on the request record (new state, revision checked) that also stores
 * the side effects the change causes (audit entry, `Guardrail Decision`
 * event, requester message, approver messages) as "pending effects". The
 * writer performs them right after and removes each when done; if it dies
 * first, the escalation sweep finds the record (its queue key says "due now")
 * and performs what is left. Effects are therefore at least once, never lost.
 *
 * Decision links work once: the link's id is recorded with a conditional put
 * before the decision is written; a second use finds it and is refused.
 */
import {
  ALL_APPROVERS,
  type ApprovalEffect,
  type ApprovalStore,
  type AuditLog,
  type Clock,
  type DecisionLinkIssuer,
  type DecisionPublisher,
  type DecisionTokenUse,
  type GuardrailRequestStore,
  type Notification,
  type Notifier,
  type PolicySource,
  type RequesterNotifier,
} from './ports';
import { departmentOf, sourceRefOf, type RequestRecord } from './records';
import type { Policy } from './policy';
import { errorMessage } from './errors';
import type { ServiceLogger } from './guardrail-service';
import {
  ApproverDirectory,
  DEFAULT_APPROVAL_RULES,
  DEFAULT_DECISION_LINK_CONFIG,
  DEFAULT_DIGEST_CONFIG,
  DEFAULT_ESCALATION_CONFIG,
  SYSTEM_ACTOR,
  TIER_LABELS,
  applyApproverAction,
  approvalDecisionEvent,
  auditEntry,
  decisionLinksChatSteps,
  decisionLinksText,
  formatInstant,
  isUndecided,
  renderApproverReminder,
  renderDigest,
  renderRequesterMessage,
  requestSummaryOf,
  requesterEmailsOf,
  runEscalation,
  samePerson,
  type ActingApprover,
  type Addressees,
  type ApprovalRefusal,
  type ApprovalRulesConfig,
  type ApprovalState,
  type ApprovalStep,
  type Approver,
  type ApproverTier,
  type AuditEntry,
  type DecisionLinkConfig,
  type DecisionLinks,
  type DigestConfig,
  type DigestItem,
  type EscalationConfig,
} from './approvals';
import { escapeMarkdown, type RenderedNotification } from './notification';

// ---------------------------------------------------------------------------
// Settings from the policy
// ---------------------------------------------------------------------------

/** The policy's `approvals` section, ready to use (defaults filled in, directory indexed). */
export interface ApprovalSettings {
  /** Undefined when the policy names no approvers: notifications then carry no links. */
  directory?: ApproverDirectory;
  rules: ApprovalRulesConfig;
  escalation: EscalationConfig;
  digest: DigestConfig;
  links: DecisionLinkConfig;
}

const settingsCache = new WeakMap<Policy, ApprovalSettings>();

/** Settings of a policy, built once per policy object (a warm Lambda keeps its policy). */
export function approvalSettingsOf(policy: Policy): ApprovalSettings {
  const cached = settingsCache.get(policy);
  if (cached) return cached;
  const a = policy.approvals;
  const settings: ApprovalSettings = {
    directory: a ? new ApproverDirectory(a.approvers) : undefined,
    rules: a?.rules ?? DEFAULT_APPROVAL_RULES,
    escalation: a?.escalation ?? DEFAULT_ESCALATION_CONFIG,
    digest: a?.digest ?? DEFAULT_DIGEST_CONFIG,
    links: a?.links ?? DEFAULT_DECISION_LINK_CONFIG,
  };
  settingsCache.set(policy, settings);
  return settings;
}

const HOUR = 3_600_000;

/**
 * When links sent now expire: at the request's deadline (its signing date),
 * never more than `maxLifetimeDays` ahead, and never sooner than
 * `minLifetimeHours` (a request close to or past its date can still be decided).
 */
export function decisionLinkExpiry(deadline: string | undefined, now: Date, config: DecisionLinkConfig = DEFAULT_DECISION_LINK_CONFIG): Date {
  const latest = now.getTime() + config.maxLifetimeDays * 24 * HOUR;
  const earliest = now.getTime() + config.minLifetimeHours * HOUR;
  const target = deadline ? Date.parse(deadline) : latest;
  return new Date(Math.min(latest, Math.max(earliest, Number.isFinite(target) ? target : latest)));
}

/** The approvers to ask at `tier` for this request (a higher tier when nobody holds it), or undefined. */
export function addresseesOf(record: RequestRecord, settings: ApprovalSettings, tier: ApproverTier): Addressees | undefined {
  return settings.directory?.addresseesFor(tier, departmentOf(record));
}

/** The acting approver behind an address: their directory entry, or a stranger with no tier. */
export function actingApprover(settings: ApprovalSettings, email: string): ActingApprover {
  const found = settings.directory?.find(email);
  return found ? { email: found.email, name: found.name, tier: found.tier } : { email, tier: 'none' };
}

// ---------------------------------------------------------------------------
// Personal messages with decision links
// ---------------------------------------------------------------------------

/**
 * The first notification of a request, one message per approver addressed,
 * each with that approver's own signed links: a link is a credential for one
 * person, so it never goes to anyone else (the `recipient` attribute lets
 * each subscription receive only its own). Without a directory or a link
 * issuer, the plain notification goes out as before.
 */
export async function initialApproverNotifications(input: {
  record: RequestRecord;
  rendered: RenderedNotification;
  settings: ApprovalSettings;
  links?: DecisionLinkIssuer;
  now: Date;
}): Promise<{ messages: Notification[]; tier?: ApproverTier; recipients: string[] }> {
  const { record, rendered, settings, links, now } = input;
  if (!links) return { messages: [rendered], recipients: [] };
  // Links are wired but the policy names no approvers: everyone on the topic gets it, without links.
  if (!settings.directory) return { messages: [{ ...rendered, attributes: { ...rendered.attributes, recipient: ALL_APPROVERS } }], recipients: [] };
  const addressees = addresseesOf(record, settings, record.approval.escalation.currentTier);
  if (!addressees) {
    const note = `\n\nNo approver in the directory covers this request at ${TIER_LABELS[record.approval.escalation.currentTier]} level or above: update approvals.approvers in the policy.`;
    return { messages: [{ ...rendered, text: rendered.text + note, attributes: { ...rendered.attributes, recipient: ALL_APPROVERS } }], recipients: [] };
  }
  const expiresAt = decisionLinkExpiry(requestSummaryOf(record, settings.escalation).deadline, now, settings.links);
  const inboxUrl = links.inboxUrl();
  const messages: Notification[] = [];
  for (const approver of addressees.approvers) {
    const personal = await links.linksFor({ recordId: record.recordId, approverEmail: approver.email, expiresAt, now });
    messages.push(withDecisionLinks(rendered, { approver, tier: addressees.tier, fellBack: addressees.fellBack, links: personal, expiresAt, inboxUrl }));
  }
  return { messages, tier: addressees.tier, recipients: addressees.approvers.map((a) => a.email) };
}

/** Adds one approver's links to a rendered notification: a block in the text, the first chat step. */
export function withDecisionLinks(
  rendered: RenderedNotification,
  input: { approver: Approver; tier: ApproverTier; fellBack?: boolean; links: DecisionLinks; expiresAt: Date; inboxUrl?: string },
): Notification {
  const { approver, links, expiresAt } = input;
  const block = [
    '',
    `For ${approver.name} (${TIER_LABELS[input.tier]})${input.fellBack ? ', asked because nobody at the required tier covers this department' : ''}:`,
    decisionLinksText(links, expiresAt),
    ...(input.inboxUrl ? [`All pending requests: ${input.inboxUrl}`] : []),
  ].join('\n');
  const chat = rendered.chat;
  const decide = `Decide (${escapeMarkdown(approver.name)}, until ${formatInstant(expiresAt)}): ${decisionLinksChatSteps(links).join(' · ')}`;
  return {
    ...rendered,
    text: `${rendered.text}\n${block}`,
    chat: { ...chat, content: { ...chat.content, nextSteps: [decide, ...chat.content.nextSteps].slice(0, 5) } },
    attributes: { ...rendered.attributes, tier: input.tier, recipient: approver.email },
  };
}

// ---------------------------------------------------------------------------
// Dependencies
// ---------------------------------------------------------------------------

export interface ApprovalDeps {
  policy: PolicySource;
  requests: ApprovalStore & Pick<GuardrailRequestStore, 'markNotified'>;
  audit: AuditLog;
  /** IT approvers' topic (reminders, escalations, second-signature requests, expiry reports, digests). */
  notifier: Notifier;
  requesterNotifier: RequesterNotifier;
  decisions: DecisionPublisher;
  links: DecisionLinkIssuer;
  clock: Clock;
  logger?: ServiceLogger;
}

// ---------------------------------------------------------------------------
// Deciding
// ---------------------------------------------------------------------------

export interface DecideInput {
  recordId: string;
  /** Who the link was signed for: the decision is theirs. */
  approverEmail: string;
  action: string;
  comment?: string;
  /** The link's unique id and expiry: recorded so the link works once. */
  tokenId: string;
  tokenExpiresAt: Date;
}

export type DecideResult =
  | { status: 'recorded'; record: RequestRecord; state: ApprovalState; step: ApprovalStep; final: boolean; effectsFailed: number }
  | { status: 'not-found' }
  | { status: 'used'; use?: DecisionTokenUse }
  /** A fixable problem with the form (comment missing or too long): nothing recorded, the link still works. */
  | { status: 'invalid'; refusal: ApprovalRefusal; record: RequestRecord }
  /** The rules refuse this approver this action (self-approval, tier, already decided…). */
  | { status: 'refused'; refusal: ApprovalRefusal; record: RequestRecord }
  /** The approval kept changing under us; nothing recorded, the link still works. */
  | { status: 'conflict'; record: RequestRecord };

/** Writes of one decision compete with other approvers and the sweep; a few rereads settle it. */
const MAX_DECIDE_ATTEMPTS = 4;

/**
 * Records an approver's decision after the caller checked the link's
 * signature and the form's CSRF value. Order: refuse a spent link, apply the
 * rules (nothing is spent on a refusal or a fixable form problem), spend the
 * link (conditional put: of two concurrent uses exactly one passes), write
 * the state with its effects under the revision condition, then perform the
 * effects.
 */
export async function decideRequest(deps: ApprovalDeps, input: DecideInput): Promise<DecideResult> {
  const spent = await deps.requests.findTokenUse(input.tokenId);
  if (spent) return { status: 'used', use: spent };
  const settings = approvalSettingsOf((await deps.policy.current()).policy);
  const approver = actingApprover(settings, input.approverEmail);
  let consumed: DecisionTokenUse | undefined;
  const release = async () => {
    if (!consumed) return;
    await deps.requests.releaseToken(consumed.tokenId, consumed.usedAt).catch((error: unknown) =>
      deps.logger?.warn('Could not give a decision link back after a failed decision; it stays spent', {
        recordId: input.recordId,
        error: errorMessage(error),
      }),
    );
  };

  for (let attempt = 0; attempt < MAX_DECIDE_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const loaded = await deps.requests.loadApproval(input.recordId);
    if (!loaded) {
      await release();
      return { status: 'not-found' };
    }
    const { record } = loaded;
    const summary = requestSummaryOf(record, settings.escalation);
    const applied = applyApproverAction({
      state: record.approval,
      requesterEmail: requesterEmailsOf(record),
      approver,
      action: input.action,
      now,
      recordId: record.recordId,
      comment: input.comment,
      schedule: { expectedSigningDate: summary.expectedSigningDate, receivedAt: record.receivedAt, escalation: settings.escalation },
    });
    if (!applied.ok) {
      await release();
      if (applied.code === 'COMMENT_REQUIRED' || applied.code === 'COMMENT_TOO_LONG' || applied.code === 'UNKNOWN_ACTION') {
        return { status: 'invalid', refusal: applied, record };
      }
      // Kept for security review (self-approval attempts, tier shopping); no state changes.
      await deps.audit
        .append(
          auditEntry(record.recordId, 'refused', { kind: 'approver', id: approver.email, ...(approver.name ? { name: approver.name } : {}), tier: approver.tier }, now, {
            action: String(input.action).slice(0, 40),
            reason: applied.code,
          }),
        )
        .catch((error: unknown) => deps.logger?.warn('Could not audit a refused decision', { recordId: record.recordId, error: errorMessage(error) }));
      return { status: 'refused', refusal: applied, record };
    }

    if (!consumed) {
      const use: DecisionTokenUse = {
        tokenId: input.tokenId,
        recordId: record.recordId,
        approverEmail: input.approverEmail,
        action: applied.step.action,
        usedAt: now.toISOString(),
        expiresAt: input.tokenExpiresAt.toISOString(),
      };
      if (!(await deps.requests.consumeToken(use))) return { status: 'used', use: await deps.requests.findTokenUse(input.tokenId) };
      consumed = use;
    }

    const effects = decisionEffects(record, applied.state, applied.step, applied.audit, summary, now);
    let saved: boolean;
    try {
      saved = await deps.requests.saveApproval(record.recordId, record.approval.revision, applied.state, effects, now);
    } catch (error) {
      await release();
      throw error;
    }
    if (!saved) continue; // someone decided or the sweep moved it: reread and judge again
    const updated = { ...record, approval: applied.state };
    deps.logger?.info('Approver decision recorded', {
      recordId: record.recordId,
      action: applied.step.action,
      status: applied.state.status,
      approver: approver.email,
      revision: applied.state.revision,
    });
    const { failed } = await performEffects(deps, updated, effects, settings);
    // Everything done: take the record off "due now" (the sweep would otherwise look once for nothing).
    if (failed === 0) {
      await deps.requests.reschedule(record.recordId, applied.state.revision, deps.clock.now()).catch((error: unknown) =>
        deps.logger?.warn('Could not reschedule after a decision; the sweep will', { recordId: record.recordId, error: errorMessage(error) }),
      );
    }
    return { status: 'recorded', record: updated, state: applied.state, step: applied.step, final: applied.final, effectsFailed: failed };
  }
  await release();
  const latest = await deps.requests.loadApproval(input.recordId);
  return latest ? { status: 'conflict', record: latest.record } : { status: 'not-found' };
}

/** What one decision causes besides the state: audit, the bus event, the requester's message, a second signer's prompt. */
function decisionEffects(
  record: RequestRecord,
  state: ApprovalState,
  step: ApprovalStep,
  audit: AuditEntry,
  summary: ReturnType<typeof requestSummaryOf>,
  now: Date,
): ApprovalEffect[] {
  const r = `r${state.revision}`;
  const effects: ApprovalEffect[] = [
    { id: `${r}-audit`, type: 'audit', entry: audit },
    {
      id: `${r}-decision-event`,
      type: 'decision-event',
      event: approvalDecisionEvent({ recordId: record.recordId, decision: record.decision, state, step, sourceRef: sourceRefOf(record), now }),
    },
    { id: `${r}-requester-message`, type: 'requester-message', message: renderRequesterMessage({ summary, state, step }) },
  ];
  if (step.action === 'approve' && step.stage === 1) {
    effects.push({ id: `${r}-approver-notification`, type: 'approver-notification', kind: 'second-signature', tier: state.requiredApprover });
  }
  return effects;
}

// ---------------------------------------------------------------------------
// Performing effects
// ---------------------------------------------------------------------------

const EFFECT_ORDER: Record<ApprovalEffect['type'], number> = { audit: 0, 'decision-event': 1, 'requester-message': 2, 'approver-notification': 3 };

/**
 * Performs pending effects in a stable order and removes each once done. A
 * failure is logged and left pending for the sweep; the others still run
 * (an SNS outage must not hold back the event a procurement tool waits on).
 */
export async function performEffects(
  deps: ApprovalDeps,
  record: RequestRecord,
  effects: readonly ApprovalEffect[],
  settings: ApprovalSettings,
): Promise<{ performed: number; failed: number }> {
  let performed = 0;
  let failed = 0;
  for (const effect of [...effects].sort((a, b) => EFFECT_ORDER[a.type] - EFFECT_ORDER[b.type] || (a.id < b.id ? -1 : 1))) {
    try {
      await performEffect(deps, record, effect, settings);
      await deps.requests.completeEffect(record.recordId, effect.id);
      performed++;
    } catch (error) {
      failed++;
      deps.logger?.error('Approval effect failed; the escalation sweep retries it', {
        recordId: record.recordId,
        effect: effect.id,
        error: errorMessage(error),
      });
    }
  }
  return { performed, failed };
}

async function performEffect(deps: ApprovalDeps, record: RequestRecord, effect: ApprovalEffect, settings: ApprovalSettings): Promise<void> {
  switch (effect.type) {
    case 'audit':
      await deps.audit.append(effect.entry);
      return;
    case 'decision-event':
      await deps.decisions.publish(effect.event);
      return;
    case 'requester-message':
      await deps.requesterNotifier.notifyRequester(effect.message);
      return;
    case 'approver-notification': {
      const now = deps.clock.now();
      for (const message of await approverPrompts(deps, record, effect, settings, now)) await deps.notifier.notify(message);
      return;
    }
  }
}

/** Reminder, escalation, second-signature request (personal, with links) or the expiry report (for all approvers). */
async function approverPrompts(
  deps: Pick<ApprovalDeps, 'links'>,
  record: RequestRecord,
  effect: Extract<ApprovalEffect, { type: 'approver-notification' }>,
  settings: ApprovalSettings,
  now: Date,
): Promise<Notification[]> {
  const summary = requestSummaryOf(record, settings.escalation);
  const inboxUrl = deps.links.inboxUrl();
  const state = record.approval;
  if (effect.kind === 'expire') {
    const report = renderApproverReminder({ kind: 'expire', summary, state, tier: effect.tier, now, inboxUrl });
    return [{ ...report, attributes: { ...report.attributes, tier: effect.tier, recipient: ALL_APPROVERS } }];
  }
  const addressees = addresseesOf(record, settings, effect.tier);
  if (!addressees) {
    const message = renderApproverReminder({ kind: effect.kind, summary, state, tier: effect.tier, fromTier: effect.fromTier, now, inboxUrl });
    return [
      {
        ...message,
        text: `${message.text}\n\nNo approver in the directory covers this request at ${TIER_LABELS[effect.tier]} level or above: update approvals.approvers in the policy.`,
        attributes: { ...message.attributes, tier: effect.tier, recipient: ALL_APPROVERS },
      },
    ];
  }
  const expiresAt = decisionLinkExpiry(summary.deadline, now, settings.links);
  // The first signer of a two-step approval cannot give the second signature: do not ask them
  // (the same identity test approval-rules applies when refusing them, so the two cannot disagree).
  const firstSigner = state.steps.find((s) => s.stage === 1)?.by.email;
  const asked = addressees.approvers.filter((a) => effect.kind !== 'second-signature' || !firstSigner || !samePerson(firstSigner, a.email));
  if (asked.length === 0) {
    const message = renderApproverReminder({ kind: effect.kind, summary, state, tier: effect.tier, now, inboxUrl });
    return [
      {
        ...message,
        text: `${message.text}\n\nThe only ${TIER_LABELS[addressees.tier]} in the directory gave the first signature, so nobody can give the second: add another ${TIER_LABELS[addressees.tier]} to approvals.approvers in the policy.`,
        attributes: { ...message.attributes, tier: addressees.tier, recipient: ALL_APPROVERS },
      },
    ];
  }
  const messages: Notification[] = [];
  for (const approver of asked) {
    const links = await deps.links.linksFor({ recordId: record.recordId, approverEmail: approver.email, expiresAt, now });
    const message = renderApproverReminder({
      kind: effect.kind,
      summary,
      state,
      tier: addressees.tier,
      fromTier: effect.fromTier,
      links,
      linksExpireAt: expiresAt,
      inboxUrl,
      now,
    });
    messages.push({ ...message, attributes: { ...message.attributes, tier: addressees.tier, recipient: approver.email } });
  }
  return messages;
}

// ---------------------------------------------------------------------------
// Escalation sweep
// ---------------------------------------------------------------------------

export interface SweepReport {
  examined: number;
  reminded: number;
  escalated: number;
  expired: number;
  effectsPerformed: number;
  effectsFailed: number;
  /** Records whose approval changed while the sweep looked at them: the next run handles them. */
  conflicts: number;
  failures: { recordId: string; error: string }[];
}

/** How many records one run handles at most; the rest are due still and come next run. */
export const SWEEP_BATCH = 200;

/**
 * The scheduled run (every 15 minutes deployed, on an interval locally):
 * for each request due now, perform effects left pending, then remind,
 * escalate or mark expired as escalation planning says, and schedule the
 * next look. A failure on one request never stops the others.
 */
export async function runEscalationSweep(deps: ApprovalDeps, now: Date, options: { limit?: number } = {}): Promise<SweepReport> {
  const report: SweepReport = { examined: 0, reminded: 0, escalated: 0, expired: 0, effectsPerformed: 0, effectsFailed: 0, conflicts: 0, failures: [] };
  const settings = approvalSettingsOf((await deps.policy.current()).policy);
  const ids = await deps.requests.listDueApprovals(now, options.limit ?? SWEEP_BATCH);
  for (const recordId of ids) {
    report.examined++;
    try {
      await sweepOne(deps, recordId, now, settings, report);
    } catch (error) {
      report.failures.push({ recordId, error: errorMessage(error) });
      deps.logger?.error('Escalation sweep failed for a request; the next run retries it', { recordId, error: errorMessage(error) });
    }
  }
  if (report.examined > 0) deps.logger?.info('Escalation sweep finished', { ...report, failures: report.failures.length });
  return report;
}

async function sweepOne(deps: ApprovalDeps, recordId: string, now: Date, settings: ApprovalSettings, report: SweepReport): Promise<void> {
  const loaded = await deps.requests.loadApproval(recordId);
  if (!loaded) return;
  let { record } = loaded;
  if (loaded.effects.length > 0) {
    const done = await performEffects(deps, record, loaded.effects, settings);
    report.effectsPerformed += done.performed;
    report.effectsFailed += done.failed;
    if (done.failed > 0) return; // stays due: the next run tries again
  }
  const state = record.approval;
  if (!isUndecided(state)) {
    await deps.requests.reschedule(recordId, state.revision, now);
    return;
  }
  const summary = requestSummaryOf(record, settings.escalation);
  const outcome = runEscalation({
    state,
    expectedSigningDate: summary.expectedSigningDate,
    receivedAt: record.receivedAt,
    config: settings.escalation,
    now,
    recordId,
  });
  if (!outcome.changed) {
    await deps.requests.reschedule(recordId, state.revision, now);
    return;
  }
  const effects: ApprovalEffect[] = [];
  const r = `r${outcome.state.revision}`;
  if (outcome.audit) effects.push({ id: `${r}-audit`, type: 'audit', entry: outcome.audit });
  const plan = outcome.plan;
  if (plan.action === 'remind') effects.push({ id: `${r}-approver-notification`, type: 'approver-notification', kind: 'remind', tier: plan.tier });
  if (plan.action === 'escalate') {
    effects.push({ id: `${r}-approver-notification`, type: 'approver-notification', kind: 'escalate', tier: plan.tier, ...(plan.fromTier ? { fromTier: plan.fromTier } : {}) });
  }
  if (plan.action === 'expire') {
    // Reported to IT, to the requester ("do not sign yet") and on the bus (the tool's gate stays closed).
    effects.push({ id: `${r}-approver-notification`, type: 'approver-notification', kind: 'expire', tier: state.escalation.currentTier });
    effects.push({ id: `${r}-requester-message`, type: 'requester-message', message: renderRequesterMessage({ summary, state: outcome.state }) });
    effects.push({
      id: `${r}-decision-event`,
      type: 'decision-event',
      event: approvalDecisionEvent({ recordId, decision: record.decision, state: outcome.state, sourceRef: sourceRefOf(record), now }),
    });
  }
  if (!(await deps.requests.saveApproval(recordId, state.revision, outcome.state, effects, now))) {
    report.conflicts++;
    return;
  }
  if (plan.action === 'remind') report.reminded++;
  if (plan.action === 'escalate') report.escalated++;
  if (plan.action === 'expire') report.expired++;
  record = { ...record, approval: outcome.state };
  const done = await performEffects(deps, record, effects, settings);
  report.effectsPerformed += done.performed;
  report.effectsFailed += done.failed;
  if (done.failed === 0) await deps.requests.reschedule(recordId, outcome.state.revision, now);
}

// ---------------------------------------------------------------------------
// Digest
// ---------------------------------------------------------------------------

export interface DigestReport {
  /** Requests that were waiting for this digest. */
  held: number;
  /** Digest messages sent (one per approver with something to decide). */
  sent: number;
  /** Requests marked notified by this run. */
  delivered: number;
  /** Requests decided before their digest went out (nothing to send). */
  skipped: number;
  failures: { recipient: string; error: string }[];
}

/**
 * Sends each approver one message with every low-risk request held for them
 * (personal links per request), then marks the requests notified. A request
 * is marked only when every approver it was meant for got their digest; a
 * failed send leaves it held for the next run.
 */
export async function runDigest(deps: ApprovalDeps, now: Date): Promise<DigestReport> {
  const report: DigestReport = { held: 0, sent: 0, delivered: 0, skipped: 0, failures: [] };
  const settings = approvalSettingsOf((await deps.policy.current()).policy);
  const held = await deps.requests.listHeldForDigest(now);
  report.held = held.length;
  const inboxUrl = deps.links.inboxUrl();
  const perApprover = new Map<string, { approver: Approver; tier: ApproverTier; items: DigestItem[]; recordIds: string[] }>();
  const recipientsOf = new Map<string, string[]>();
  for (const record of held) {
    if (!isUndecided(record.approval)) {
      await deps.requests.markNotified(record.recordId, 'digest-skipped: decided before the digest', now);
      report.skipped++;
      continue;
    }
    const summary = requestSummaryOf(record, settings.escalation);
    const addressees = addresseesOf(record, settings, record.approval.escalation.currentTier);
    if (!addressees) continue; // stays held; the policy needs an approver (validation normally prevents this)
    const expiresAt = decisionLinkExpiry(summary.deadline, now, settings.links);
    recipientsOf.set(record.recordId, addressees.approvers.map((a) => a.email));
    for (const approver of addressees.approvers) {
      const key = approver.email.toLowerCase();
      const entry = perApprover.get(key) ?? { approver, tier: addressees.tier, items: [], recordIds: [] };
      entry.items.push({ summary, links: await deps.links.linksFor({ recordId: record.recordId, approverEmail: approver.email, expiresAt, now }), linksExpireAt: expiresAt });
      entry.recordIds.push(record.recordId);
      perApprover.set(key, entry);
    }
  }
  const delivered = new Map<string, string[]>();
  const failedRecords = new Set<string>();
  for (const { approver, tier, items, recordIds } of perApprover.values()) {
    const digest = renderDigest(items, now, { inboxUrl });
    const severity = items.some((i) => i.summary.severity === 'low') ? 'low' : 'info';
    try {
      const { messageId } = await deps.notifier.notify({
        subject: digest.subject,
        text: `For ${approver.name} (${TIER_LABELS[tier]}):\n\n${digest.text}`,
        chat: digest.chat,
        attributes: { outcome: 'review', severity, kind: 'digest', tier, recipient: approver.email },
        recordId: `digest:${now.toISOString().slice(0, 10)}`,
      });
      report.sent++;
      for (const id of recordIds) delivered.set(id, [...(delivered.get(id) ?? []), messageId]);
    } catch (error) {
      report.failures.push({ recipient: approver.email, error: errorMessage(error) });
      for (const id of recordIds) failedRecords.add(id);
      deps.logger?.error('Digest could not be sent; its requests stay held for the next run', { recipient: approver.email, error: errorMessage(error) });
    }
  }
  for (const [recordId, messageIds] of delivered) {
    if (failedRecords.has(recordId)) continue;
    await deps.requests.markNotified(recordId, messageIds.join(' '), now);
    await deps.audit.append(
      auditEntry(recordId, 'notified', SYSTEM_ACTOR, now, { channel: 'digest', recipients: recipientsOf.get(recordId) ?? [], messageIds }),
    );
    report.delivered++;
  }
  return report;
}
