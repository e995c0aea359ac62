/** The little the use cases log; Powertools' Logger and `console` both fit. */
export interface ServiceLogger {
  /** Step-by-step detail, off at the deployed INFO level (the handler logs one line per event). */
  debug?(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}
