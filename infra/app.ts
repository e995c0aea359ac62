#!/usr/bin/env node
/**
 * CDK entry point (`cdk.json`: `npx tsx infra/app.ts`). Synth needs neither
 * Docker (NodejsFunction bundles with the local esbuild) nor AWS credentials
 * (no context lookups).
 */
import { createGuardrailApp } from './create-app';

createGuardrailApp().app.synth();
