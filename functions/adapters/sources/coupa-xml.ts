/**
 * Coupa's API answers XML unless the caller asks for JSON, and its published
 * requisition examples are XML: `<requisition-headers type="array">` holding
 * `<requisition-header>` elements, Rails-style (`nil="true"` for null,
 * `type="array"` for lists, element names as the JSON keys). This turns such
 * a document into the JSON shape the Coupa normaliser reads, so both arrive
 * at the same code.
 *
 * Parsed with fast-xml-parser. A document type declaration is refused before
 * parsing: Coupa never sends one, and entity definitions are how XML bombs work.
 */
import type { XMLParser } from 'fast-xml-parser';
import { isRecord } from './native-values';

export type XmlReading = { ok: true; value: unknown } | { ok: false; problems: string[] };

let parser: XMLParser | undefined;

/**
 * Loaded on the first XML payload, not at cold start: every ingest bundle holds
 * the Coupa normaliser, few payloads are XML, and evaluating the parser's
 * modules took about 4 ms of each cold start.
 */
function xmlParser(): XMLParser {
  if (parser) return parser;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require() call is what esbuild leaves lazy in the CJS bundle
  const { XMLParser: Parser } = require('fast-xml-parser') as typeof import('fast-xml-parser');
  parser = new Parser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    textNodeName: '#text',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: false,
  });
  return parser;
}

/** The requisition (or array of them) in a Coupa XML document. */
export function coupaXmlToJson(text: string): XmlReading {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, problems: ['(payload): XML with a document type declaration is not accepted (Coupa sends none)'] };
  let document: unknown;
  try {
    document = xmlParser().parse(text, true);
  } catch (error) {
    return { ok: false, problems: [`(payload): not valid XML (${(error as Error).message.split('\n')[0].slice(0, 200)})`] };
  }
  if (!isRecord(document)) return { ok: false, problems: ['(payload): empty XML document'] };
  const roots = Object.keys(document).filter((key) => !key.startsWith('?'));
  if (roots.length !== 1) return { ok: false, problems: ['(payload): an XML document must have one root element'] };
  const [root] = roots;
  const value = fromRailsXml(document[root]);
  if (root === 'requisition-headers' || root === 'requisitions') return { ok: true, value: Array.isArray(value) ? value : [] };
  if (root === 'requisition-header' || root === 'requisition') return { ok: true, value };
  return { ok: false, problems: [`(payload): XML root <${root.slice(0, 60)}> is not a Coupa requisition (<requisition-header> or <requisition-headers>)`] };
}

/** Rails XML conventions to JSON values: nil → null, type="array" → a list, text → string. */
function fromRailsXml(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fromRailsXml);
  if (!isRecord(node)) return node === '' ? null : node;
  if (node['@nil'] === 'true') return null;
  const children = Object.entries(node).filter(([key]) => !key.startsWith('@') && key !== '#text');
  if (node['@type'] === 'array') {
    return children.flatMap(([, child]) => (Array.isArray(child) ? child : [child])).map(fromRailsXml);
  }
  if (children.length === 0) {
    const text = node['#text'];
    return typeof text === 'string' && text !== '' ? text : null;
  }
  return Object.fromEntries(children.map(([key, child]) => [key, fromRailsXml(child)]));
}
