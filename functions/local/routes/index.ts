/**
 * Every route group of the local runtime, in banner order. A feature adds its
 * routes by writing a RouteGroup module and listing it here; nothing else in
 * the server changes.
 */
import type { RouteGroup } from '../context';
import { eventRoutes } from './events';
import { ingestRoutes } from './ingest';
import { approvalRoutes } from './approvals';
import { inspectionRoutes } from './inspection';
import { policyRoutes } from './policy';
import { inventoryRoutes } from './inventory';

export const ROUTE_GROUPS: readonly RouteGroup[] = [eventRoutes, ingestRoutes, inspectionRoutes, approvalRoutes, policyRoutes, inventoryRoutes];
