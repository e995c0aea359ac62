/** What the local-ingest test imports, from the one module the local runtime would import. */
export {
  FileIngestSecretProvider,
  handleIngestRequest,
  localIngestPublisher,
  readNodeIngestRequest,
  signForLocalIngest,
} from '../../../functions/adapters/ingest';
export type { CanonicalEventEntry as CanonicalEventEntryLike } from '../../../functions/domain/ingest';
