export * from './email';
export * from './lockout';
export * from './password-policy';
export * from './principal';
export * from './recovery-codes';
export * from './second-factor';
export * from './secret-token';
export * from './session-lifetime';
