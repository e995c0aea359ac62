/**
 * Rules only identity-provider events raise: platform-managed apps, risky
 * OAuth scopes, organisation-wide admin consent, and who did it (recorded as
 * unknown when the source names no person, never guessed).
 */
import type { AppConnected } from '../events';
import type { Severity } from '../policy';
import type { PreparedPolicy } from '../prepared-policy';
import { nameKey } from '../vendor-catalogue';
import { finding, quoted, severityRank, type RuleFinding } from './findings';

const SOURCE_LABELS: Record<AppConnected['source'], string> = {
  okta: 'Okta',
  'entra-id': 'Microsoft Entra ID',
  'google-workspace': 'Google Workspace',
  'iam-identity-center': 'IAM Identity Center',
  manual: 'a manual report',
};

export function sourceLabel(source: AppConnected['source']): string {
  return SOURCE_LABELS[source];
}

/** Apps a platform creates for itself (AWS managed apps) are not shadow IT. */
export function managedAppFinding(prepared: PreparedPolicy, event: AppConnected): RuleFinding | undefined {
  if (prepared.managedApps.has(nameKey(event.app.name))) {
    return finding(
      'MANAGED_APP',
      'security',
      'info',
      `${event.app.name} is a platform-managed app on the policy's allow list (seen in ${sourceLabel(event.source)}); it is not shadow IT.`,
      `${event.app.name} is a platform-managed app`,
    );
  }
  // Only a system actor counts: a person calling the same API is exactly what the guardrail watches for.
  const service = event.actor.type === 'system' ? event.actor.id?.trim().toLowerCase() : undefined;
  if (service && prepared.managedAppServices.has(service)) {
    return finding(
      'MANAGED_APP',
      'security',
      'info',
      `${event.app.name} was created by ${service}, an AWS service on the policy's allow list (seen in ${sourceLabel(event.source)}); it is not shadow IT.`,
      `${event.app.name} is managed by ${service}`,
    );
  }
  return undefined;
}

/** One finding per granted scope the policy calls risky, naming the scope and why. */
export function riskyScopeFindings(prepared: PreparedPolicy, event: AppConnected): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const seen = new Set<string>();
  for (const scope of event.scopes ?? []) {
    const key = scope.trim().toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const risky = prepared.riskyScopes.match(scope);
    if (!risky) continue;
    findings.push(
      finding(
        'RISKY_OAUTH_SCOPE',
        'security',
        risky.severity,
        `${event.app.name} was granted the scope ${quoted(scope)}: ${risky.reason.trim().replace(/\.$/, '')}.`,
        `${event.app.name} was granted ${scope}`,
        `Check that ${event.app.name} needs ${scope}; revoke the grant in ${sourceLabel(event.source)} if not.`,
      ),
    );
  }
  return findings;
}

/**
 * A grant with more scopes than the record keeps: the rest were not checked,
 * and an app asking for that much access needs a person to look at it.
 */
export function scopesShortenedFinding(event: AppConnected): RuleFinding | undefined {
  if (event.scopeCount === undefined || event.scopes === undefined || event.scopeCount <= event.scopes.length) return undefined;
  return finding(
    'SCOPES_SHORTENED',
    'security',
    'high',
    `${event.app.name} was granted ${event.scopeCount} scopes; only the first ${event.scopes.length} are kept and checked here.`,
    `${event.app.name} was granted ${event.scopeCount} scopes`,
    `Review the full grant in ${sourceLabel(event.source)}: an app asking for this much access is rarely needed as is.`,
  );
}

export function adminConsentFinding(prepared: PreparedPolicy, event: AppConnected): RuleFinding | undefined {
  if (event.adminConsent !== true) return undefined;
  const severity: Severity = prepared.policy.oauth.adminConsentSeverity;
  return finding(
    'ADMIN_CONSENT',
    'security',
    severity,
    `An administrator consented to ${event.app.name} on behalf of the whole organisation in ${sourceLabel(event.source)}.`,
    `admin consent granted to ${event.app.name} for everyone`,
    severityRank(severity) >= severityRank('medium')
      ? `Confirm the consent was intended and the scopes are needed; revoke it in ${sourceLabel(event.source)} if not.`
      : undefined,
  );
}

/**
 * The source names no person: a system or app actor, or a known system
 * account (`system@okta.com`). Recorded so nobody is blamed by guesswork.
 */
export function unattributedActorFinding(prepared: PreparedPolicy, event: AppConnected): RuleFinding | undefined {
  const { actor } = event;
  const systemEmail = actor.email !== undefined && prepared.systemActors.has(actor.email.trim().toLowerCase());
  if (actor.type === 'user' && !systemEmail) return undefined;
  const seen = actor.email ?? actor.displayName ?? actor.id;
  const described = systemEmail
    ? `the system account ${actor.email}`
    : actor.type === 'app'
      ? `an app${seen ? ` (${seen})` : ''}`
      : actor.type === 'system'
        ? `a system actor${seen ? ` (${seen})` : ''}`
        : 'no actor';
  return finding(
    'ACTOR_UNATTRIBUTED',
    'compliance',
    'info',
    `${sourceLabel(event.source)} names ${described} for this change, not a person; the person was not guessed.`,
    'no person named by the source',
    // For a consent the subject is the person whose data was shared: the one to ask.
    event.connectionKind === 'oauth-consent' && event.subject?.email ? `Ask ${event.subject.email} whether they granted this consent.` : undefined,
  );
}
