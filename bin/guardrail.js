#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `npx guardrail` needs no build step.
require('tsx/cjs');
require('../functions/cli/guardrail.ts');
