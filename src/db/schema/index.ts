export * from './api-keys.ts';
export * from './audit-events.ts';
export * from './decisions.ts';
export * from './deliveries.ts';
export * from './forums.ts';
export * from './policy-sets.ts';
export * from './posts.ts';
export * from './reviews.ts';
