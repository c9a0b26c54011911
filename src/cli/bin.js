#!/usr/bin/env node
// The `hearth` command. Registers tsx so the TypeScript sources run as they are.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
