/**
 * Benchmark 4: what one million guardrail events cost in AWS, from what the
 * other benchmarks measured (handler duration, the stack's memory size, the
 * DynamoDB calls and item sizes per event by outcome, SNS and EventBridge
 * calls and payload sizes, cold-start init time) at published on-demand list
 * prices for us-east-1. Free tiers are left out: the figure is what a busy
 * account pays at the margin. The per-message fee of the channel that
 * delivers a notification (email, SMS, HTTPS) is the customer's choice, not
 * the guardrail's: the ex-channel figure leaves it out and prices each
 * channel per delivered notification beside it.
 */
import type { CallProfile } from './pipeline';
import { round, significant } from './support/stats';

export interface Price {
  usd: number;
  unit: string;
  /** The AWS pricing page the price is published on. */
  source: string;
}

/** Prices as published on the named AWS pricing pages, us-east-1, recorded on `PRICES_DATE`. */
export const PRICES_DATE = '2026-11-27';
export const PRICES_REGION = 'us-east-1';
export const PRICES = {
  lambdaRequest: { usd: 0.2, unit: 'per 1 million requests', source: 'AWS Lambda pricing (aws.amazon.com/lambda/pricing)' },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    unit: 'per GB-second, Arm (first 7.5 billion GB-seconds a month)',
    source: 'AWS Lambda pricing (aws.amazon.com/lambda/pricing)',
  },
  dynamoWriteRequestUnit: {
    usd: 0.625,
    unit: 'per 1 million write request units, on-demand, Standard table class',
    source: 'Amazon DynamoDB pricing for on-demand capacity (aws.amazon.com/dynamodb/pricing/on-demand)',
  },
  dynamoReadRequestUnit: {
    usd: 0.125,
    unit: 'per 1 million read request units, on-demand, Standard table class',
    source: 'Amazon DynamoDB pricing for on-demand capacity (aws.amazon.com/dynamodb/pricing/on-demand)',
  },
  snsPublish: {
    usd: 0.5,
    unit: 'per 1 million publish requests (each 64 KB chunk is one request), standard topics',
    source: 'Amazon SNS pricing (aws.amazon.com/sns/pricing)',
  },
  snsEmailDelivery: { usd: 20, unit: 'per 1 million email notifications ($2.00 per 100,000)', source: 'Amazon SNS pricing (aws.amazon.com/sns/pricing)' },
  snsHttpsDelivery: { usd: 0.6, unit: 'per 1 million HTTP/S notifications', source: 'Amazon SNS pricing (aws.amazon.com/sns/pricing)' },
  smsUsMessagePart: {
    usd: 0.00581,
    unit: 'per SMS message part to a US number (160 GSM-7 characters), AWS price; carriers add a pass-through fee of about $0.0025–0.003 per part',
    source: 'AWS End User Messaging pricing (aws.amazon.com/end-user-messaging/pricing)',
  },
  eventBridgeCustomEvent: {
    usd: 1,
    unit: 'per 1 million custom events published (each 64 KB chunk is one event)',
    source: 'Amazon EventBridge pricing (aws.amazon.com/eventbridge/pricing)',
  },
  cloudWatchLogsIngestion: {
    usd: 0.5,
    unit: 'per GB ingested, Standard log class',
    source: 'Amazon CloudWatch pricing (aws.amazon.com/cloudwatch/pricing)',
  },
  sqsRequest: {
    usd: 0.4,
    unit: 'per 1 million requests, standard queues (each 64 KB chunk of a request is one request; a batch action is one)',
    source: 'Amazon SQS pricing (aws.amazon.com/sqs/pricing)',
  },
  xRayTraceRecorded: {
    usd: 5,
    unit: 'per 1 million traces recorded',
    source: 'AWS X-Ray pricing (aws.amazon.com/xray/pricing)',
  },
} satisfies Record<string, Price>;

export interface CostAssumptions {
  /**
   * Email deliveries per publish. The stack subscribes each approver's email
   * with a filter on the `recipient` attribute and the notifier addresses each
   * message to one approver, so one publish reaches one inbox.
   */
  emailDeliveriesPerPublish: number;
  /** Events that reach the bus per guardrail event before ours: the source's own PutEvents. */
  inboundEventsPerEvent: number;
  /** Share of invocations that start a new execution environment (init is billed since August 2025). */
  coldStartShare: number;
  /**
   * Share of invocations X-Ray records a trace of (the stack turns active
   * tracing on). The default sampling rule records 1 request a second and 5% of
   * the rest: 5% at the margin of a busy account; below about one event a
   * second every invocation is traced, within the free 100,000 a month.
   */
  tracedShare: number;
}

export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = {
  emailDeliveriesPerPublish: 1,
  inboundEventsPerEvent: 1,
  coldStartShare: 0.01,
  tracedShare: 0.05,
};

/**
 * What Lambda itself writes to the function's log group for every invocation
 * at the stack's settings (JSON log format, system log level left at INFO,
 * active tracing): a `platform.start` and a `platform.report` record. Shaped
 * as Lambda writes them, with ids of the real lengths, so their size is
 * measured rather than guessed.
 */
const TRACING = { spanId: '2d7c0c5a4b3e1f90', type: 'X-Amzn-Trace-Id', value: 'Root=1-674c3b9e-1a2b3c4d5e6f7a8b9c0d1e2f;Parent=5c3d2e1f0a9b8c7d;Sampled=1' };
const REQUEST_ID = '6d68ca91-49c9-448d-89b8-7ca3e6dc66aa';
export const LAMBDA_PLATFORM_RECORDS = [
  { time: '2026-12-01T10:16:54.275Z', type: 'platform.start', record: { requestId: REQUEST_ID, version: '$LATEST', tracing: TRACING } },
  {
    time: '2026-12-01T10:16:54.295Z',
    type: 'platform.report',
    record: {
      requestId: REQUEST_ID,
      metrics: { durationMs: 18.66, billedDurationMs: 19, memorySizeMB: 512, maxMemoryUsedMB: 98 },
      tracing: TRACING,
      status: 'success',
    },
  },
];
/** Bytes of those records per invocation (one JSON line each). */
export const PLATFORM_LOG_BYTES_PER_INVOCATION = LAMBDA_PLATFORM_RECORDS.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)) + 1, 0);

export interface CostInputs {
  profile: CallProfile;
  memoryMb: number;
  /** Module init of the deployed bundle, ms (cold-start benchmark). */
  initMillis: number;
  assumptions?: CostAssumptions;
}

export interface CostLine {
  service: 'Lambda' | 'DynamoDB' | 'SNS' | 'EventBridge' | 'SQS' | 'CloudWatch Logs' | 'X-Ray';
  item: string;
  quantityPerMillionEvents: number;
  usdPerMillionEvents: number;
  /** The delivery fee of the notification channel (email here): the customer's choice, left out of the ex-channel figure. */
  channel?: true;
}

/** What one delivered notification costs on each channel a customer can subscribe approvers with. */
export interface ChannelPrice {
  channel: 'email' | 'HTTPS' | 'SMS (US)';
  usdPerNotification: number;
  /** At this mix: notifications per million events × the price. */
  usdPerMillionEvents: number;
  basis: string;
  source: string;
}

export interface CostResult {
  pricesDate: string;
  region: string;
  prices: typeof PRICES;
  assumptions: CostAssumptions;
  /** Share of events that notify IT (review or block), measured on the pipeline's event mix. */
  notifiedShare: number;
  lines: CostLine[];
  byService: Record<string, number>;
  /** Lambda, DynamoDB, SNS publishes and email deliveries, EventBridge (kept for the record). */
  costPerMillionEventsUsd: number;
  /**
   * What the guardrail controls: Lambda, DynamoDB, SNS publishes, EventBridge,
   * CloudWatch Logs and X-Ray, without the channel's delivery fee.
   */
  costPerMillionEventsExChannelUsd: number;
  /** Notifications delivered per million events at this mix (one per publish: each is addressed to one approver). */
  notificationsPerMillionEvents: number;
  /** Each channel's fee per delivered notification, and what it adds per million events at this mix. */
  channels: ChannelPrice[];
  /** The same plus observability: CloudWatch Logs (the handlers' logs and EMF metrics, Lambda's own records) and X-Ray traces. */
  costPerMillionEventsWithLogsUsd: number;
  /** Per event kind of outcome, so a reader can apply their own mix. */
  perMillionByOutcome: { allowUsd: number; notifiedUsd: number };
  /** How the headline moves if Lambda runs longer in AWS than on this machine. */
  sensitivity: { billedMillis: number; costPerMillionEventsUsd: number }[];
  /** Events an invocation takes in this model (the measured batches), and the billed ms of one. */
  invocation: { eventsPerInvocation: number; billedMillis: number; logBytesPerEvent: number };
  /**
   * The ex-channel figure when every invocation takes one event (low traffic:
   * the queue hands over each event as it comes), measured one event an invocation.
   */
  costPerMillionEventsExChannelAtOneEventPerInvocationUsd: number;
}

const MILLION = 1_000_000;

export function costPerMillionEvents(inputs: CostInputs): CostResult {
  const assumptions = inputs.assumptions ?? DEFAULT_COST_ASSUMPTIONS;
  const { profile } = inputs;
  const total = Object.values(profile.outcomes).reduce((s, n) => s + n, 0);
  const notifiedShare = total === 0 ? 0 : ((profile.outcomes.review ?? 0) + (profile.outcomes.block ?? 0)) / total;

  // As deployed, a function takes the events of a batch in one invocation: what every invocation costs is shared.
  const batchedInvocation = profile.batched ?? {
    eventsPerInvocation: 1,
    billedMillisPerInvocation: profile.billedMillisMean,
    logBytesPerEvent: profile.logBytesPerEvent,
  };
  const single = { eventsPerInvocation: 1, billedMillisPerInvocation: profile.billedMillisMean, logBytesPerEvent: profile.logBytesPerEvent };

  const build = (billedMillis: number, share: number, invocation = batchedInvocation): CostLine[] => {
    const gb = inputs.memoryMb / 1024;
    const events = MILLION;
    const invocations = events / invocation.eventsPerInvocation;
    const logBytesPerEvent = invocation.logBytesPerEvent;
    const notified = events * share;
    const allowed = events - notified;
    const calls = (name: string) => allowed * (profile.perEvent.allow.dynamo[name] ?? 0) + notified * (profile.perEvent.notified.dynamo[name] ?? 0);
    const recordPuts = allowed * profile.perEvent.allow.recordPuts + notified * profile.perEvent.notified.recordPuts;
    // The record's conditional put and every update are sized by the record (an update by the larger of before and after);
    // the other puts append small audit-trail items.
    const recordWrites = recordPuts + calls('UpdateItem');
    const auditWrites = Math.max(0, calls('PutItem') - recordPuts);
    const writes = recordWrites + auditWrites;
    const wru = recordWrites * profile.writeUnitsPerRecordWrite + auditWrites * profile.writeUnitsPerAuditWrite;
    // Reads are strongly consistent GetItems of a record (redeliveries) or the policy pointer (tiny): 1 RRU each.
    const rru = calls('GetItem') + calls('Query');
    const publishes = allowed * profile.perEvent.allow.snsPublishes + notified * profile.perEvent.notified.snsPublishes;
    const decisionEvents = allowed * profile.perEvent.allow.putEvents + notified * profile.perEvent.notified.putEvents;
    const coldStarts = invocations * assumptions.coldStartShare;
    const lines: CostLine[] = [
      line('Lambda', `invocations (${round(invocation.eventsPerInvocation, 2)} events each)`, invocations, PRICES.lambdaRequest.usd / MILLION),
      line(
        'Lambda',
        `duration, ${round(billedMillis, 2)} ms billed per invocation × ${inputs.memoryMb} MB (GB-s)`,
        invocations * (billedMillis / 1000) * gb,
        PRICES.lambdaArmGbSecond.usd,
      ),
      line(
        'Lambda',
        `init, ${round(inputs.initMillis, 1)} ms on ${round(assumptions.coldStartShare * 100, 2)}% of invocations (GB-s)`,
        coldStarts * (inputs.initMillis / 1000) * gb,
        PRICES.lambdaArmGbSecond.usd,
      ),
      line(
        'DynamoDB',
        `write request units (${round(writes / events, 2)} writes/event: ${round(recordWrites / events, 2)} of the record × ${profile.writeUnitsPerRecordWrite} WRU, ${round(auditWrites / events, 2)} audit × ${profile.writeUnitsPerAuditWrite} WRU)`,
        wru,
        PRICES.dynamoWriteRequestUnit.usd / MILLION,
      ),
      line(
        'DynamoDB',
        `index write request units (${round(profile.indexWriteUnitsPerEvent.declared.notified, 2)} WRU per notified event: the approvals index entry its put adds; ${round(profile.indexWriteUnitsPerEvent.declared.allow, 2)} per allowed one)`,
        allowed * profile.indexWriteUnitsPerEvent.declared.allow + notified * profile.indexWriteUnitsPerEvent.declared.notified,
        PRICES.dynamoWriteRequestUnit.usd / MILLION,
      ),
      line('DynamoDB', 'read request units', rru, PRICES.dynamoReadRequestUnit.usd / MILLION),
      line('SNS', 'publishes (64 KB chunks)', publishes * profile.snsChunksPerPublish, PRICES.snsPublish.usd / MILLION),
      {
        ...line(
          'SNS',
          `email deliveries (${assumptions.emailDeliveriesPerPublish} per publish: one approver each)`,
          publishes * assumptions.emailDeliveriesPerPublish,
          PRICES.snsEmailDelivery.usd / MILLION,
        ),
        channel: true,
      },
      line('EventBridge', 'inbound events put by the sources', events * assumptions.inboundEventsPerEvent, PRICES.eventBridgeCustomEvent.usd / MILLION),
      line(
        'EventBridge',
        'Guardrail Decision events (64 KB chunks)',
        decisionEvents * profile.eventBridgeChunksPerEvent,
        PRICES.eventBridgeCustomEvent.usd / MILLION,
      ),
      // The rule's SendMessage per event (an EventBridge event is a few KB: one chunk); Lambda's poller receives a
      // batch and deletes it with one DeleteMessageBatch. Its empty long polls are a fixed cost per queue, not per event.
      line('SQS', 'messages sent by the rules (one per event)', events, PRICES.sqsRequest.usd / MILLION),
      line('SQS', 'ReceiveMessage and DeleteMessageBatch (one each per invocation)', invocations * 2, PRICES.sqsRequest.usd / MILLION),
      line(
        'CloudWatch Logs',
        `logs and EMF metrics (${logBytesPerEvent} bytes/event, GB)`,
        (events * logBytesPerEvent) / 1024 ** 3,
        PRICES.cloudWatchLogsIngestion.usd,
      ),
      line(
        'CloudWatch Logs',
        `Lambda's start and report records (${PLATFORM_LOG_BYTES_PER_INVOCATION} bytes/invocation, GB)`,
        (invocations * PLATFORM_LOG_BYTES_PER_INVOCATION) / 1024 ** 3,
        PRICES.cloudWatchLogsIngestion.usd,
      ),
      line(
        'X-Ray',
        `traces recorded (${round(assumptions.tracedShare * 100, 2)}% of invocations sampled)`,
        invocations * assumptions.tracedShare,
        PRICES.xRayTraceRecorded.usd / MILLION,
      ),
    ];
    return lines;
  };

  const lines = build(batchedInvocation.billedMillisPerInvocation, notifiedShare);
  const exChannel = (ls: CostLine[]) =>
    round(
      ls.filter((l) => !l.channel).reduce((s, l) => s + l.usdPerMillionEvents, 0),
      2,
    );
  const deliveries = lines.find((l) => l.channel)?.quantityPerMillionEvents ?? 0;
  const channel = (name: ChannelPrice['channel'], usdPerNotification: number, basis: string, source: string): ChannelPrice => ({
    channel: name,
    usdPerNotification,
    usdPerMillionEvents: round(deliveries * usdPerNotification, 4),
    basis,
    source: `${source}, ${PRICES_DATE}`,
  });
  // The total kept for the record predates the observability lines; every other figure counts them.
  const sum = (ls: CostLine[], withObservability: boolean) =>
    ls.filter((l) => withObservability || (l.service !== 'CloudWatch Logs' && l.service !== 'X-Ray')).reduce((s, l) => s + l.usdPerMillionEvents, 0);
  const byService: Record<string, number> = {};
  for (const l of lines) byService[l.service] = round((byService[l.service] ?? 0) + l.usdPerMillionEvents, 4);
  return {
    pricesDate: PRICES_DATE,
    region: PRICES_REGION,
    prices: PRICES,
    assumptions,
    notifiedShare: round(notifiedShare, 4),
    lines,
    byService,
    costPerMillionEventsUsd: round(sum(lines, false), 2),
    costPerMillionEventsExChannelUsd: exChannel(lines),
    notificationsPerMillionEvents: deliveries,
    channels: [
      channel('email', PRICES.snsEmailDelivery.usd / MILLION, PRICES.snsEmailDelivery.unit, PRICES.snsEmailDelivery.source),
      channel('HTTPS', PRICES.snsHttpsDelivery.usd / MILLION, `${PRICES.snsHttpsDelivery.unit} (a chat or ticketing webhook)`, PRICES.snsHttpsDelivery.source),
      channel(
        'SMS (US)',
        PRICES.smsUsMessagePart.usd,
        `one message part (a short alert with a link); ${PRICES.smsUsMessagePart.unit}`,
        PRICES.smsUsMessagePart.source,
      ),
    ],
    costPerMillionEventsWithLogsUsd: round(sum(lines, true), 2),
    perMillionByOutcome: {
      allowUsd: round(sum(build(batchedInvocation.billedMillisPerInvocation, 0), false), 2),
      notifiedUsd: round(sum(build(batchedInvocation.billedMillisPerInvocation, 1), false), 2),
    },
    // Per invocation of the modelled size, as Lambda might run it slower than this machine does.
    sensitivity: [50, 100, 250].map((billedMillis) => ({
      billedMillis,
      costPerMillionEventsUsd: round(sum(build(billedMillis, notifiedShare), false), 2),
    })),
    invocation: {
      eventsPerInvocation: batchedInvocation.eventsPerInvocation,
      billedMillis: batchedInvocation.billedMillisPerInvocation,
      logBytesPerEvent: batchedInvocation.logBytesPerEvent,
    },
    costPerMillionEventsExChannelAtOneEventPerInvocationUsd: exChannel(build(single.billedMillisPerInvocation, notifiedShare, single)),
  };
}

function line(service: CostLine['service'], item: string, quantity: number, unitUsd: number): CostLine {
  return { service, item, quantityPerMillionEvents: significant(quantity, 6), usdPerMillionEvents: round(quantity * unitUsd, 4) };
}
