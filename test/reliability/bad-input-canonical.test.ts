/**
 * Reliability 3a — bad canonical events: 10,000 generated cases (fast-check)
 * of delivered EventBridge events with one to three things wrong in the
 * detail (fields removed, of the wrong type, empty, enormous, control
 * characters, markup, `__proto__` keys) or in the envelope (no source, no
 * detail-type, no detail, detail as text, misrouted kind, not an object at
 * all), through the real guardrail handler on dynalite. No unhandled crash;
 * every case processed to a complete record or dead-lettered with its reason
 * and field paths (the same letter in the queue); nothing written for a
 * dead-lettered case. Edge cases at the schema's bounds are processed, those
 * just past them refused with the field named.
 */
import { createContainer, createWorld } from '../../bench/support/guardrail-harness';
import { recordFigures } from './support/figures';
import { PAST_BOUNDS, canonicalEdgeCases, canonicalFuzz } from './support/fuzz';
import { mixedEvents, openStage } from './support/scenarios';

const CASES = 10_000;

test(`${CASES.toLocaleString('en-US')} malformed canonical events: no crash, each processed or dead-lettered with its reason, nothing half-written`, async () => {
  const stage = await openStage({ separateProcess: true });
  const world = createWorld(stage.endpoint, stage.tables);
  const container = createContainer(world, { logLevel: 'SILENT' });
  const started = Date.now();
  try {
    const pool = mixedEvents(stage.policy, 400, 31, 'POOL');
    const f = await canonicalFuzz({ pool, container, world, cases: CASES, seed: 20261127 });
    const edges = await canonicalEdgeCases({ pool, container });
    const edgeCrashes = edges.filter((e) => e.outcome.startsWith('handler threw'));
    recordFigures({
      suite: 'bad-input-canonical',
      title: '3a. Bad input: canonical events (property-based)',
      figures: {
        'Generated cases (fast-check, seed 20261127)': f.cases,
        'Processed to a complete record': f.processed,
        'Dead-lettered with reason and field paths': f.deadLettered,
        'by reason': Object.entries(f.byReason)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
        'Dead letters in the queue matching the answer': f.lettersMatched,
        'Unhandled crashes (handler threw; Lambda retries twice, then its DLQ keeps the event)': f.crashes,
        'Crashes by error':
          Object.keys(f.crashClasses).length === 0
            ? 'none'
            : Object.entries(f.crashClasses)
                .map(([k, v]) => `${v.count} × ${k}`)
                .join('; '),
        'Crashing cases that wrote anything': f.crashesWrittenHalfWay,
        'Written half-way': f.writtenHalfWay,
        'Problems without a field path': f.problemsWithoutPath,
        ...Object.fromEntries(edges.map((e) => [`Edge case: ${e.name}`, e.outcome])),
        'Run time (s)': Math.round((Date.now() - started) / 100) / 10,
      },
      details: { crashClasses: f.crashClasses, edges },
    });
    expect(f.cases).toBe(CASES);
    expect(f.crashesWrittenHalfWay).toBe(0);
    // A crash is reported with the input that causes it (see docs/reliability.md), then fails the suite.
    expect(f.crashClasses).toEqual({});
    expect(f.crashes).toBe(0);
    expect(edgeCrashes).toEqual([]);
    // What the schema takes is decided; what lies past its bounds is refused with the field named.
    expect(edges.filter((e) => !e.name.endsWith(PAST_BOUNDS) && !e.outcome.startsWith('processed'))).toEqual([]);
    expect(edges.filter((e) => e.name.endsWith(PAST_BOUNDS) && !/^dead-lettered: invalid-detail \(detail\.\w+/.test(e.outcome))).toEqual([]);
    expect(f.writtenHalfWay).toBe(0);
    expect(f.problemsWithoutPath).toBe(0);
    expect(f.lettersMatched).toBe(f.deadLettered);
    expect(f.processed + f.deadLettered + f.crashes).toBe(CASES);
    expect(f.processed).toBeGreaterThan(0);
    expect(Object.keys(f.byReason).sort()).toEqual(['invalid-detail', 'invalid-envelope', 'unexpected-event-type']);
  } finally {
    container.destroy();
    await stage.close();
  }
  // Ordinary values are now read rather than refused, so more of the cases are processed (stored,
  // notified) instead of dead-lettered on sight: give the 10,000 of them room on a shared machine.
}, 900_000);
