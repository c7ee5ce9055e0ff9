// Moved to scoring/features/mouse-actions.ts (the core's per-user pointer model reads the same actions).
export * from '../../scoring/features/mouse-actions.ts';
