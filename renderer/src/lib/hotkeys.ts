/** Turning a key press into an Electron accelerator, and an accelerator into something an agent reads. */

const named: Record<string, string> = {
  ' ': 'Space',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Enter: 'Enter',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  '+': 'Plus',
};

export type Capture = { accelerator: string } | { problem: string } | { pending: true };

export function acceleratorFor(event: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): Capture {
  if (['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'OS'].includes(event.key)) return { pending: true };
  let key: string | undefined;
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(event.key)) key = event.key;
  else if (/^Key[A-Z]$/.test(event.code)) key = event.code.slice(3);
  else if (/^Digit[0-9]$/.test(event.code)) key = event.code.slice(5);
  else if (named[event.key]) key = named[event.key];
  else if (event.key.length === 1 && /[\x21-\x7e]/.test(event.key)) key = event.key.toUpperCase();
  if (!key) return { problem: `The key "${event.key}" cannot be used in a hotkey.` };
  const modifiers: string[] = [];
  if (event.ctrlKey || event.metaKey) modifiers.push('CommandOrControl');
  if (event.altKey) modifiers.push('Alt');
  if (event.shiftKey) modifiers.push('Shift');
  const isFunctionKey = key.startsWith('F') && key.length > 1;
  if (modifiers.length === 0 && !isFunctionKey) {
    return { problem: 'Use Ctrl or Alt with the key, so the hotkey does not get in the way of typing.' };
  }
  return { accelerator: [...modifiers, key].join('+') };
}

export function showAccelerator(accelerator: string | null, mac = false): string {
  if (!accelerator) return 'Off';
  return accelerator
    .split('+')
    .map((part) => (part === 'CommandOrControl' || part === 'CmdOrCtrl' ? (mac ? '⌘' : 'Ctrl') : part === 'Alt' && mac ? '⌥' : part))
    .join('+');
}

/**
 * The key an agent can press for an action, as its button shows it: only while the desktop app holds that hotkey
 * (in a browser window, or when another application took it, the button shows none).
 */
export function activeHotkey(status: { accelerator: string | null; registered: boolean } | undefined, platform?: string): string | null {
  if (!status?.registered || !status.accelerator) return null;
  return showAccelerator(status.accelerator, platform === 'darwin');
}

/** The same key for `aria-keyshortcuts`, in the names that attribute uses (Control, Alt, Shift, Meta). */
export function ariaKeyShortcut(status: { accelerator: string | null; registered: boolean } | undefined, platform?: string): string | undefined {
  if (!status?.registered || !status.accelerator) return undefined;
  return status.accelerator
    .split('+')
    .map((part) => (part === 'CommandOrControl' || part === 'CmdOrCtrl' ? (platform === 'darwin' ? 'Meta' : 'Control') : part))
    .join('+');
}
