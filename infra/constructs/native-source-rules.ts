/**
 * The two sources that already arrive on EventBridge: IAM Identity Center's
 * CloudTrail calls (`aws.sso`, on the account's default bus, always) and
 * Okta's System Log (on its partner event bus, only when context
 * `guardrail:oktaEventSourceName` names the partner source). Both rules use
 * the patterns the normalisers export, so a rule selects exactly what its
 * normaliser can read, and both target one native-source function with the
 * same DLQ and retry policy as the guardrail's own rules.
 *
 * The rules get explicit names: the key policy that lets EventBridge write
 * to the KMS-encrypted DLQ must name their ARNs, and referencing the rules
 * themselves would make the key depend on them (and they on the queue, which
 * depends on the key).
 */
import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IAM_IDENTITY_CENTER_EVENT_PATTERN, oktaEventPattern } from '../../functions/adapters/sources';
import { TARGET_RETRY, toCdkEventPattern } from '../event-rules';
import { GuardrailFunction } from './guardrail-function';

/** The handler entry of the native-source function. */
export const NATIVE_SOURCE_HANDLER_ENTRY = 'functions/handlers/native-source.ts';

export interface NativeSourceRulesProps {
  encryptionKey: IKey;
  logGroupPrefix: string;
  logRetention: logs.RetentionDays;
  /** The guardrail bus canonical events go to. */
  bus: events.IEventBus;
  /** Failed invocations, undeliverable events and malformed payloads. */
  deadLetterQueue: IQueue;
  /** `aws.partner/okta.com/<org>/<name>`; no Okta rule without it. */
  oktaEventSourceName?: string;
  sourceOptions: object;
  serviceName: string;
  metricsNamespace: string;
  logLevel: string;
}

export class NativeSourceRules extends Construct {
  readonly function: GuardrailFunction;
  readonly iamIdentityCenterRule: events.Rule;
  readonly oktaRule?: events.Rule;
  /** ARNs of the rules, known at synth (for the key policy). */
  readonly ruleArns: string[];

  constructor(scope: Construct, id: string, props: NativeSourceRulesProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.function = new GuardrailFunction(this, 'Function', {
      entry: NATIVE_SOURCE_HANDLER_ENTRY,
      description: 'Procurement Guardrail: normalises Okta System Log and IAM Identity Center events from EventBridge into canonical App Connected events',
      encryptionKey: props.encryptionKey,
      logGroupName: `${props.logGroupPrefix}native-source`,
      logRetention: props.logRetention,
      deadLetterQueue: props.deadLetterQueue,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logLevel: props.logLevel,
    })
      .publishesCanonicalEventsTo(props.bus)
      .deadLettersTo(props.deadLetterQueue)
      .withSourceOptions(props.sourceOptions);

    const target = () => new LambdaFunction(this.function, { deadLetterQueue: props.deadLetterQueue, ...TARGET_RETRY });

    const iamRuleName = ruleName(stack.stackName, 'IamIdentityCenter');
    this.iamIdentityCenterRule = new events.Rule(this, 'IamIdentityCenterRule', {
      ruleName: iamRuleName,
      // No eventBus: AWS services (aws.sso through CloudTrail) publish to the account's default bus.
      description: 'IAM Identity Center application and assignment calls (CloudTrail) to the guardrail',
      eventPattern: toCdkEventPattern(IAM_IDENTITY_CENTER_EVENT_PATTERN),
      targets: [target()],
    });
    this.ruleArns = [stack.formatArn({ service: 'events', resource: 'rule', resourceName: iamRuleName })];

    if (props.oktaEventSourceName) {
      // The partner source's bus has the source's name; imported by name (no lookup, synth needs no credentials).
      const oktaBus = events.EventBus.fromEventBusName(this, 'OktaPartnerBus', props.oktaEventSourceName);
      const oktaRuleName = ruleName(stack.stackName, 'OktaSystemLog');
      this.oktaRule = new events.Rule(this, 'OktaRule', {
        ruleName: oktaRuleName,
        eventBus: oktaBus,
        description: 'Okta System Log app, assignment and consent events to the guardrail',
        eventPattern: toCdkEventPattern(oktaEventPattern(props.oktaEventSourceName)),
        targets: [target()],
      });
      this.ruleArns.push(stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${props.oktaEventSourceName}/${oktaRuleName}` }));
    }
  }
}

/** `<stack>-<suffix>`, within EventBridge's 64-character rule-name limit. */
function ruleName(stackName: string, suffix: string): string {
  const name = `${stackName}-${suffix}`;
  if (name.length > 64) throw new Error(`rule name ${name} is longer than EventBridge's 64 characters: use a shorter stack name`);
  return name;
}
