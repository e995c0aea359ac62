/** Server-rendered approver pages, escaping, forms and security headers. */
export * from './html';
export * from './security-headers';
export * from './forms';
export * from './pages';
export * from './local-session';
export * from './approvals-app';
export * from './node-http';
