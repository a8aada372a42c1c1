export * from './limits';
export * from './errors';
export * from './common';
export * from './identity';
export * from './workspace';
export * from './audit';
export * from './websocket';
export * from './health';
