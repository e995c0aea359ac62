/**
 * Native events on the local bus, routed as the stack routes them: Okta
 * partner events and IAM Identity Center CloudTrail calls (`aws.sso`) go to
 * the native-source handler, selected by the very patterns the CDK rules are
 * built from (`nativeSourcePatterns`). The handler's canonical events go back
 * on the local bus, and their decisions come back in the answer.
 *
 * Normaliser options come from `<data dir>/source-options.json`, the local
 * counterpart of CDK context `guardrail:sourceOptions`, read with the same
 * parser so what works locally deploys.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { NativeEventResult } from '../adapters/ingest/native-event';
import { parseSourceOptions } from '../adapters/ingest/source-options';
import { nativeSourcePatterns, type SourceOptions } from '../adapters/sources';
import type { CanonicalEventEntry, IngestPublish } from '../domain/ingest';
import { createNativeSourceHandler, type NativeSourceHandlerDeps } from '../handlers/shared/native-source-handler';
import { localLambdaContext, type LocalRule } from './event-bus';

const FUNCTION_NAME = 'guardrail-native-source';

/** The options file's content, validated; none when the file does not exist. */
export function readLocalSourceOptions(file: string): Partial<SourceOptions> {
  if (!existsSync(file)) return {};
  return parseSourceOptions(readFileSync(file, 'utf8'), file);
}

export interface NativeSourceRuleDeps {
  /** Puts one canonical entry on the local bus and returns what its rules answered. */
  submit(entry: CanonicalEventEntry): Promise<unknown>;
  /** The handler's dependencies from the composition root, publishing through `publish`. */
  services(publish: IngestPublish): NativeSourceHandlerDeps;
  print(line: string): void;
}

export type NativeRuleResult = NativeEventResult & { deliveries?: unknown[] };

/** One local rule per native source pattern, all targeting one native-source handler. */
export function nativeSourceRules(deps: NativeSourceRuleDeps): LocalRule<NativeRuleResult>[] {
  // The local bus delivers one event at a time, so the answers of the current one can be collected here.
  let deliveries: unknown[] = [];
  const handler = createNativeSourceHandler(
    deps.services(async (entries) => {
      for (const entry of entries) deliveries.push(await deps.submit(entry));
    }),
  );
  return nativeSourcePatterns().map(({ source, pattern }) => ({
    name: `${FUNCTION_NAME} (${source})`,
    pattern,
    async target(event) {
      deliveries = [];
      const result = await handler(event, localLambdaContext(FUNCTION_NAME));
      if (result.status === 'published')
        deps.print(`  ⇢ ${result.source}: ${result.accepted} canonical event${result.accepted === 1 ? '' : 's'} put on the bus`);
      if (result.status === 'ignored') deps.print(`  · ${result.source}: ignored (${result.reason})`);
      return deliveries.length > 0 ? { ...result, deliveries } : result;
    },
  }));
}
