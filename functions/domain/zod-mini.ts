/**
 * zod for everything a Lambda validates at runtime: `zod/mini`, whose
 * functions tree-shake (the classic `zod` import puts about 460 KiB into every
 * bundle that touches it), with the English messages classic zod loads by
 * itself. Import it as a namespace: `import * as z from '../domain/zod-mini'`
 * (a named `{ z }` import would keep the whole library).
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
