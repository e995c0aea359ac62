/**
 * `POST /ingest/:source` on the local runtime: native payloads (Okta, Entra ID,
 * Google Workspace, IAM Identity Center, Coupa, ServiceNow, forms) through the
 * very ingest core the Lambda runs, signatures checked against the per-source
 * secrets in `<data dir>/ingest-secrets.json` (created on first use, 0600).
 * `guardrail send --source NAME FILE` signs with the same file.
 */
import { handleIngestRequest, readNodeIngestRequest } from '../../adapters/ingest';
import type { RouteGroup } from '../context';
import type { RouteRequest } from '../router';

export const ingestRoutes: RouteGroup = (context) => {
  const handle = async ({ req, params }: RouteRequest) => {
    const response = await handleIngestRequest(context.ingest, await readNodeIngestRequest(req, params.source));
    const { 'content-type': contentType, ...headers } = response.headers;
    if (response.status < 300) context.print(`  ⇢ ingest/${params.source}: HTTP ${response.status}`);
    else context.print(`  ✗ ingest/${params.source}: HTTP ${response.status}`);
    return { status: response.status, text: response.body, contentType: contentType ?? 'application/json', headers };
  };
  return [
    {
      method: 'POST',
      path: '/ingest/:source',
      summary: 'a native payload (okta, entra-id, google-workspace, coupa, …), HMAC-signed with ingest-secrets.json',
      handle,
    },
    { method: 'GET', path: '/ingest/:source', summary: "answer Okta's event hook verification challenge", handle },
  ];
};
