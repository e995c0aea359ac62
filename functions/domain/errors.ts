/**
 * What a caught value says, whatever was thrown. JavaScript lets code throw
 * anything (a string, an object from a misbehaving SDK), while logs, reports
 * and dead letters need text and middlewares need an Error: one conversion,
 * so every place reports a non-Error the same way.
 */

/** The message of an Error, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The thrown value as an Error (itself when it is one), so it keeps its stack and type. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
