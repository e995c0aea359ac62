/**
 * `guardrail send FILE`: post an event to the local runtime as a procurement
 * tool or the event bus would, and show what the runtime answered.
 */
import { CliError, EXIT, parseCommandArgs, TEXT, printJson, readJsonFile, singleFile, type CliIo } from '../io';
import { readFileSync } from 'node:fs';
import { isSourceName } from '../../adapters/sources';
import { signForLocalIngest } from '../../adapters/ingest';
import { defaultDataDir } from '../../local/paths';
import { localServerUrl, postJson, postRaw, type PostResult } from '../local-server';
import type { CliCommand } from './command';

export const sendCommand: CliCommand = {
  name: 'send',
  summary: 'post an event to the local runtime (npm start) and print its answer',
  usage: `Usage: guardrail send FILE [--url URL] [--source NAME]

Posts FILE to the local runtime started with \`npm start\`:
  without --source   to POST /events. FILE is an EventBridge entry
                     ({Source, DetailType, Detail} or {source, "detail-type", detail}),
                     a detail with "kind", or {"Entries": [...]}.
  with --source NAME to POST /ingest/NAME: FILE is a native payload from that
                     source (okta, entra-id, google-workspace, coupa, …).

Options:
  --url URL       the runtime's address (default: $GUARDRAIL_URL, else the running
                  runtime's address from the data folder, else http://localhost:3000)
  --source NAME   send a native payload to the source's ingest route
  -h, --help      show this help

Prints the runtime's JSON answer.
Exit codes: 0 accepted (2xx), 1 refused by the runtime (4xx/5xx, or any entry of
an {"Entries"} batch) or runtime not reachable, 2 bad usage or FILE unreadable / not JSON.`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs('send', args, { url: TEXT, source: TEXT });
    const file = singleFile('send', positionals);
    const body = readJsonFile(file, io);
    const base = localServerUrl(values.url, io);
    let result: PostResult;
    if (values.source === undefined) {
      result = await postJson(`${base}/events`, body);
    } else {
      if (!isSourceName(values.source)) {
        throw new CliError(`--source: "${values.source}" is not a source name such as okta or entra-id`);
      }
      // Signed with the runtime's own local secret (ingest-secrets.json in the data folder), over the file's bytes.
      const signed = await signForLocalIngest(values.source, readFileSync(file, 'utf8'), defaultDataDir(io.env));
      result = await postRaw(`${base}/ingest/${values.source}`, signed.rawBody, signed.headers);
    }
    const { status, body: answer } = result;
    if (status >= 400) {
      io.stderr.write(`the runtime refused the event: HTTP ${status}\n`);
      printJson(io, answer);
      return EXIT.failed;
    }
    printJson(io, answer);
    // A batch is answered 200 like PutEvents, with the failures per entry: any failure fails the command.
    const failed = (answer as { failedEntryCount?: unknown } | null)?.failedEntryCount;
    if (typeof failed === 'number' && failed > 0) {
      io.stderr.write(`the runtime refused ${failed} of the entries (see their "status" and "problems")\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};
