/**
 * Whose request is it: the namespace a canonical event is stored under (its
 * `source`), stamped by whoever authenticated the sender. A form that posts
 * `request_id: "coupa-4822"` lands in its own namespace (`form:<name>:…`),
 * never on Coupa's requisition 4822 (`coupa:4822`). See recordIdOf.
 */
import { APP_SOURCES, type AppSource, type GuardrailEvent } from './events';

/** Every generic form's namespace starts here: `form:<formName>`. */
export const FORM_NAMESPACE_PREFIX = 'form';
/** The form name used when a deployment configures none. */
export const DEFAULT_FORM_NAME = 'generic';
/** Lower-case letters, digits and inner hyphens, at most 32: no `:`, so one form's ids can never read as another's. */
export const FORM_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** `form:<formName>`; throws on a name that could blur namespaces (configuration is checked at synth too). */
export function formNamespace(formName: string = DEFAULT_FORM_NAME): string {
  if (!FORM_NAME_PATTERN.test(formName)) {
    throw new Error(`form name ${JSON.stringify(formName.slice(0, 40))} must be lower-case letters, digits and hyphens (at most 32), without ":"`);
  }
  return `${FORM_NAMESPACE_PREFIX}:${formName}`;
}

/**
 * The event with `source` set to the authenticated namespace, whatever the
 * payload said. App events keep the identity provider's name, which must be
 * one of the canonical app sources.
 */
export function withSource(event: GuardrailEvent, namespace: string): GuardrailEvent {
  if (event.kind === 'purchase-request') return { kind: event.kind, detail: { ...event.detail, source: namespace } };
  if (!(APP_SOURCES as readonly string[]).includes(namespace)) {
    throw new Error(`"${namespace}" is not an identity-provider source; app events must come from one of ${APP_SOURCES.join(', ')}`);
  }
  return { kind: event.kind, detail: { ...event.detail, source: namespace as AppSource } };
}
