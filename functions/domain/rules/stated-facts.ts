/**
 * Facts a request left out, or said in its own words. None is a reason to
 * refuse: each is read as the policy says (an unstated classification as
 * `intake.unstatedDataClassification`) and raises a finding that asks for it,
 * so the decision shows what it assumed. Intake notes (a configured default,
 * a value inferred from the payload's words, shortened text) become findings
 * too: the record says where each value came from.
 */
import { notesFor, type DataClassification, type IntakeNote, type PurchaseRequest } from '../events';
import type { PreparedPolicy } from '../prepared-policy';
import { nameKey } from '../vendor-catalogue';
import { finding, quoted, type RuleFinding } from './findings';

/** How fields are named to people. */
const FIELD_LABELS: Record<string, string> = {
  billingPeriod: 'billing period',
  dataClassification: 'data classification',
  termMonths: 'term',
  seats: 'seats',
  autoRenew: 'auto-renewal',
  'amount.currency': 'currency',
  'amount.value': 'amount',
  'requester.email': "requester's email",
  'requester.name': "requester's name",
  'requester.department': 'department',
  'vendor.name': 'vendor name',
  'vendor.domain': 'vendor domain',
  'app.name': 'app name',
  'app.domain': 'app domain',
  expectedSigningDate: 'expected signing date',
  justification: 'justification',
  product: 'product',
};

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

export interface ResolvedClassification {
  level: DataClassification;
  findings: RuleFinding[];
}

/** The classification the rules apply: as stated, through a policy synonym, or the policy's rule for unstated ones. */
export function classificationOf(request: PurchaseRequest, prepared: PreparedPolicy): ResolvedClassification {
  if (request.dataClassification !== undefined) return { level: request.dataClassification, findings: [] };
  const fallback = prepared.policy.intake.unstatedDataClassification;
  const stated = notesFor(request.intakeNotes, 'dataClassification', 'unrecognised')[0]?.stated;
  if (stated !== undefined) {
    const level = prepared.classificationWords.get(nameKey(stated));
    if (level !== undefined) {
      return {
        level,
        findings: [
          finding(
            'DATA_CLASSIFICATION_SYNONYM',
            'compliance',
            'info',
            `The request says ${quoted(stated)}, read as ${level} (a synonym the policy lists).`,
            `${quoted(stated)} read as ${level} data`,
          ),
        ],
      };
    }
    return {
      level: fallback,
      findings: [
        finding(
          'DATA_CLASSIFICATION_UNRECOGNISED',
          'compliance',
          'medium',
          `The request says its data is ${quoted(stated)}, which is not a classification the policy knows; it was treated as ${fallback}.`,
          `classification ${quoted(stated)} not understood`,
          `Ask the requester which classification applies (public, internal, confidential or restricted), or add ${quoted(stated)} to intake.classificationSynonyms in the policy.`,
        ),
      ],
    };
  }
  return {
    level: fallback,
    findings: [
      finding(
        'DATA_CLASSIFICATION_NOT_STATED',
        'compliance',
        'low',
        `The request does not say what data the tool will hold; it was treated as ${fallback}, as the policy says for unstated classifications.`,
        `no data classification given; treated as ${fallback}`,
        'Ask the requester what data the tool will hold (public, internal, confidential or restricted).',
      ),
    ],
  };
}

/** Who asked and for which department, and which vendor: each gap is a finding. */
export function missingPartyFindings(request: PurchaseRequest): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const { requester, vendor } = request;
  if (requester.email === undefined) {
    const known = requester.name ?? (requester.id ? `id ${requester.id}` : undefined);
    const why = [...notesFor(request.intakeNotes, 'requester.email'), ...notesFor(request.intakeNotes, 'requester')].map(noteClause).join('; ');
    findings.push(
      finding(
        'REQUESTER_NOT_IDENTIFIED',
        'compliance',
        'medium',
        `The request names no requester email${known ? ` (the source names ${known})` : ''}${why ? `: ${why}` : ''}; nobody can be told the outcome, and separation of duties cannot be checked.`,
        'requester not identified',
        "Find out who asked for it before approving; configure the source to send the requester's email.",
      ),
    );
  }
  if (requester.department === undefined) {
    findings.push(
      finding(
        'DEPARTMENT_NOT_STATED',
        'cost',
        'low',
        'The request names no department; the standard spend limits were applied.',
        'no department given',
        'Ask which department pays for it: department spend limits may differ.',
      ),
    );
  }
  if (vendor.name === undefined && vendor.domain === undefined) {
    findings.push(
      finding(
        'VENDOR_NOT_STATED',
        'security',
        'medium',
        `The request names no vendor, only the product ${quoted(request.product ?? '')}; a product name alone cannot establish who is paid or who holds the data.`,
        'no vendor given',
        'Ask the requester which company sells it.',
      ),
    );
  }
  return findings;
}

/** Notes another rule already words (the classification, billing period, requester and scope findings). */
const HANDLED_ELSEWHERE: ReadonlySet<string> = new Set([
  'dataClassification:unrecognised',
  'billingPeriod:unrecognised',
  'requester.email:unrecognised',
  'requester.email:unresolved',
  'requester:unresolved',
  'scopes:shortened',
]);

/** Info findings for the intake notes: configured defaults, inferred values, shortened text, values not understood. */
export function intakeNoteFindings(notes: readonly IntakeNote[] | undefined): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const note of notes ?? []) {
    if (HANDLED_ELSEWHERE.has(`${note.field}:${note.kind}`)) continue;
    const label = fieldLabel(note.field);
    switch (note.kind) {
      case 'configured-default':
        findings.push(
          finding(
            'FIELD_FROM_DEFAULT',
            'compliance',
            'info',
            `The ${label} comes from the connector's configured default${note.stated ? ` (${note.stated})` : ''}, not from the request itself.`,
            `${label} from the configured default`,
            `Confirm the ${label} with the requester if this purchase may differ.`,
          ),
        );
        break;
      case 'inferred':
        findings.push(
          finding(
            'FIELD_INFERRED',
            'compliance',
            'info',
            `The ${label} was read from the request's own words${note.stated ? ` ${quoted(note.stated)}` : ''}${note.detail ? ` (${note.detail})` : ''}.`,
            `${label} read from the request's text`,
          ),
        );
        break;
      case 'shortened':
        findings.push(
          finding(
            'TEXT_SHORTENED',
            'compliance',
            'info',
            `The ${label} was shortened${note.detail ? ` (${note.detail})` : ''}; the source holds it in full.`,
            `${label} shortened`,
          ),
        );
        break;
      case 'unrecognised':
      case 'unresolved':
        findings.push(
          finding(
            'FIELD_NOT_UNDERSTOOD',
            'compliance',
            'low',
            `The ${label} could not be used: ${noteClause(note)}.`,
            `${label} not understood`,
            `Check the ${label} in the source.`,
          ),
        );
        break;
    }
  }
  return findings;
}

function noteClause(note: IntakeNote): string {
  const stated = note.stated ? `${quoted(note.stated)} ` : '';
  const what = note.kind === 'unresolved' ? 'could not be resolved' : 'was not understood';
  return `${stated}${what}${note.detail ? ` (${note.detail})` : ''}`;
}
