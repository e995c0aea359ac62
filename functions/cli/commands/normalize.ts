/**
 * `guardrail normalize FILE`: what the ingest path makes of a source's native
 * payload, printed as canonical events, so a source mapping can be checked
 * before anything is deployed.
 */
import { canonicalEventsOf } from '../event-input';
import { looksLikeXml } from '../../adapters/sources/source-names';
import { CliError, EXIT, parseCommandArgs, TEXT, printJson, readJsonFile, readTextFile, singleFile, type CliIo } from '../io';
import { partialNotes, readNative } from '../native-input';
import type { CliCommand } from './command';

export const normalizeCommand: CliCommand = {
  name: 'normalize',
  summary: "print the canonical event(s) a source's native payload becomes",
  usage: `Usage: guardrail normalize FILE [--source NAME] [--options FILE]

Reads FILE as a native payload (Okta System Log event, event-hook batch or
System Log API page, Entra ID directoryAudit or Graph page, Google Workspace
token activity or Reports page, IAM Identity Center CloudTrail event or log
file, Coupa requisition as JSON or XML, ServiceNow Table API read, generic
form) and prints what the normaliser makes of it, as JSON:
  {"status": "ok", "source": ..., "events": [{"kind": ..., "detail": ...}], ...}
  {"status": "ignored", "source": ..., "reason": ...}   (a real event, not about apps/purchases)
A file that already holds a canonical event is validated and printed the same way.
Without --source, a payload no normaliser accepts but that looks like one
source's is reported with that source's problems ("looks like a Coupa
requisition, but: ...").

Options:
  --source NAME   okta, entra-id, google-workspace, iam-identity-center, coupa,
                  servicenow or generic-form (default: detected)
  --options FILE  JSON options for the normaliser (app names, field mapping, defaults)
  -h, --help      show this help

Exit codes: 0 normalised or ignored (entries of a batch that were skipped or
malformed are listed on stderr), 2 malformed payload (each problem names its
field), unknown source, unreadable FILE or invalid JSON.`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs('normalize', args, { source: TEXT, options: TEXT });
    const file = singleFile('normalize', positionals);
    const text = readTextFile(file, io);
    // Coupa answers XML unless asked for JSON: such a file goes to the normalisers as text.
    const body = looksLikeXml(text) ? text : readJsonFile(file, io);
    const options = values.options === undefined ? undefined : readJsonFile(values.options, io);
    const reading = readNative(body, file, values.source, options);
    if (!reading) {
      // Not a native payload: it may already be canonical (throws, naming the fields, when it is not).
      const canonical = canonicalEventsOf(body, file);
      printJson(io, { status: 'ok', source: 'canonical', events: canonical.events });
      return EXIT.ok;
    }
    switch (reading.status) {
      case 'malformed':
        throw new CliError(
          `${file}: malformed ${reading.source} payload (${reading.problems.length} problem${reading.problems.length === 1 ? '' : 's'}):\n- ${reading.problems.join('\n- ')}`,
        );
      case 'ignored':
        io.stderr.write(`ignored: ${reading.reason}\n`);
        printJson(io, { status: 'ignored', source: reading.source, reason: reading.reason });
        return EXIT.ok;
      case 'ok': {
        for (const note of partialNotes(reading)) io.stderr.write(`${note}\n`);
        const out: Record<string, unknown> = { status: 'ok', source: reading.source, events: reading.events };
        if (reading.ignored.length > 0) out.ignored = reading.ignored;
        if (reading.malformed.length > 0) out.malformed = reading.malformed;
        printJson(io, out);
        return EXIT.ok;
      }
    }
  },
};
