/** What the identity-provider normalisers share: the start of every app-connected event and app names for bare ids. */
import type { AppConnectedInput } from '../../domain/events';

/** What every app-connected event of a source starts with: who said what happened, when, by whom. */
export function appEventBase<S extends AppConnectedInput['source']>(source: S, sourceEventId: string, occurredAt: string, actor: AppConnectedInput['actor']) {
  return { source, sourceEventId, occurredAt, actor };
}

/** Options shared by the identity-provider normalisers. */
export interface AppNameOptions {
  /**
   * Names for apps a source identifies only by id (Okta consent events name
   * the OAuth client id, IAM Identity Center assignments only the application
   * ARN). Keyed by that id. Without an entry the id itself stands in as the
   * name, so policy shows exactly what the source said instead of a guess.
   */
  appNames?: Readonly<Record<string, string>>;
}

/** The configured name for an app id, else the id itself (see {@link AppNameOptions}). */
export function appNameFor(id: string, options: AppNameOptions | undefined): string {
  const configured = options?.appNames?.[id];
  return configured !== undefined && configured.trim() !== '' ? configured : id;
}
