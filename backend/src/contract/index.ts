// The API contract shared by the backend and the admin console: plain types and constants only,
// with no framework imports, so the console can compile against it.
export * from './error-body.js';
export * from './error-codes.js';
export * from './http-headers.js';
export * from './roles.js';
export * from './auth.js';
export * from './api-keys.js';
export * from './ai.js';
export * from './records.js';
export * from './admin.js';
export * from './channels.js';
export * from './webhooks.js';
export * from './top-up.js';
export * from './requests.js';
