export * from './errors';
export * from './state';
export * from './settings';
export * from './commands';
export * from './events';
export * from './api';
export * from './accelerators';
export * from './ipcChannels';
