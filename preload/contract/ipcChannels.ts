/** Electron IPC channel names: one per command (`companion:station.logIn`), and one for every event. */
export const COMMAND_CHANNEL_PREFIX = 'companion:';
export const EVENT_CHANNEL = 'companion:event';
