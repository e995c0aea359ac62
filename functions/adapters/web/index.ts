/** Server-rendered approver pages, escaping, forms and security headers. */
export * from './html';
export * from './security-headers';
export * from './forms';
export * from './page-layout';
export * from './request-page';
export * from './decision-page';
export * from './inbox-page';
export * from './http-router';
export * from './local-session';
export * from './approvals-app';
export * from './node-http';
