// Preloaded (`node --import` or NODE_OPTIONS) to make a process resolve imports as a production
// install (`npm ci --omit=dev`) would, in a checkout that has the development dependencies: a
// TypeScript file, tsx or any other devDependency fails to resolve. NODE_OPTIONS reaches the
// children a supervisor starts, so `cadence start` is held to it as a whole. ESM imports only (the
// hooks do not see require() inside CommonJS packages, which Cadence's own code never uses).
import { register } from 'node:module';

register('./production-imports-hooks.mjs', import.meta.url);
