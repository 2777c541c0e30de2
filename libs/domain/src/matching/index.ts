export * from './match-disclosure';
export * from './match-keys';
export * from './matching';
export * from './name-keys';
