/**
 * Talking to a running local runtime (`npm start`) from the CLI: which URL it
 * listens on and a JSON POST that turns "connection refused" into a hint.
 */
import { readFileSync } from 'node:fs';
import { dataFiles, defaultDataDir } from '../local/paths';
import { CliError, EXIT, type CliIo } from './io';

export const DEFAULT_LOCAL_URL = 'http://localhost:3000';

/**
 * `--url`, else `GUARDRAIL_URL`, else the URL the running runtime wrote into
 * its data folder (it may listen on another PORT), else localhost:3000.
 */
export function localServerUrl(flag: string | undefined, io: Pick<CliIo, 'env'>): string {
  const chosen = flag ?? io.env.GUARDRAIL_URL ?? runningRuntimeUrl(defaultDataDir(io.env)) ?? DEFAULT_LOCAL_URL;
  try {
    const url = new URL(chosen);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return url.toString().replace(/\/$/, '');
  } catch {
    throw new CliError(`--url: "${chosen}" is not an http(s) URL such as ${DEFAULT_LOCAL_URL}`);
  }
}

/** The URL a live runtime recorded in `runtime.json`, if any. */
export function runningRuntimeUrl(dataDir: string): string | undefined {
  try {
    const info = JSON.parse(readFileSync(dataFiles(dataDir).runtimeInfo, 'utf8')) as { url?: unknown; pid?: unknown };
    if (typeof info.url !== 'string' || typeof info.pid !== 'number') return undefined;
    process.kill(info.pid, 0); // throws when that process is gone (a stale file after a crash)
    return info.url;
  } catch {
    return undefined;
  }
}

export interface PostResult {
  status: number;
  body: unknown;
}

/** POSTs JSON; connection failures become a CliError (exit 1) telling the user to run `npm start`. */
export async function postJson(url: string, body: unknown): Promise<PostResult> {
  return postRaw(url, JSON.stringify(body), { 'content-type': 'application/json' });
}

/**
 * POSTs a body exactly as given: a signed ingest call must send the very bytes
 * that were signed, so nothing may re-serialise them on the way.
 */
export async function postRaw(url: string, rawBody: string, headers: Record<string, string>): Promise<PostResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { accept: 'application/json', ...headers },
      body: rawBody,
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new CliError(
      `cannot reach the local runtime at ${new URL(url).origin} (${reason}).\nStart it with \`npm start\` in the project folder, or pass --url.`,
      EXIT.failed,
    );
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page?): show it as text.
  }
  return { status: response.status, body: parsed };
}
