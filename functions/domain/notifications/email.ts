/**
 * The email channel: plain text, read by people in mail clients that
 * auto-link URLs and by scanners that fetch them. Outside values are one
 * clean line each, defanged; what a person wrote (a justification, a
 * comment) is quoted line by line so it can never pass for one of our link
 * or system lines. The SNS subject follows the Publish API's rule: UTF-8, no
 * line breaks or control characters, under 100 characters.
 */
import { cleanLines, defang, fitUnits, singleLine, truncate } from './text';

/** One outside value inside an email line. */
export function emailText(value: string): string {
  return defang(singleLine(value));
}

/** A person's free text, each line prefixed with "> " (at most `maxChars` of it). */
export function emailQuote(value: string, maxChars = 1500): string[] {
  return cleanLines(truncate(value, maxChars)).map((line) => `> ${defang(line)}`);
}

/** SNS: "less than 100 characters". Counted in UTF-16 units, the stricter reading, so an emoji counts twice. */
export const SUBJECT_MAX_CHARS = 99;

/**
 * A subject SNS accepts: one clean line of UTF-8 (accents and scripts kept),
 * cut at a code-point boundary to fit, never empty.
 */
export function snsSubject(value: string): string {
  const clean = singleLine(value.normalize('NFC'));
  if (clean.length === 0) return 'Procurement Guardrail notification';
  return fitUnits(clean, SUBJECT_MAX_CHARS);
}
