/**
 * Checks an Electron accelerator (`CommandOrControl+Alt+S`) before it is registered as a global shortcut. No Electron
 * import: the core's `settings.update` handler and the renderer can use this to refuse a hotkey with a reason the agent
 * reads. A global shortcut steals the keys from every application, so besides syntax this refuses keys the OS or every
 * application relies on (reserved), and keys that would swallow ordinary typing.
 */
export type AcceleratorCheck = { ok: true } | { ok: false; reason: string };
export type Platform = 'win32' | 'darwin' | 'linux' | (string & {});

type Modifier = 'cmd' | 'ctrl' | 'alt' | 'altgr' | 'shift' | 'super';

// Maps, not object literals: a lookup of what the agent typed must never find Object.prototype (`constructor+K`).
const MODIFIERS = new Map<string, Modifier | 'cmdOrCtrl'>([
  ['command', 'cmd'],
  ['cmd', 'cmd'],
  ['control', 'ctrl'],
  ['ctrl', 'ctrl'],
  ['commandorcontrol', 'cmdOrCtrl'],
  ['cmdorctrl', 'cmdOrCtrl'],
  ['alt', 'alt'],
  ['option', 'alt'],
  ['altgr', 'altgr'],
  ['shift', 'shift'],
  ['super', 'super'],
  ['meta', 'super'],
]);

const NAMED_KEYS = [
  'Plus', 'Space', 'Tab', 'Capslock', 'Numlock', 'Scrolllock', 'Backspace', 'Delete', 'Insert', 'Return', 'Enter',
  'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'Esc', 'PrintScreen',
  'VolumeUp', 'VolumeDown', 'VolumeMute', 'MediaNextTrack', 'MediaPreviousTrack', 'MediaStop', 'MediaPlayPause',
  'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9',
  'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
];
const NAMED = new Map(NAMED_KEYS.map((key) => [key.toLowerCase(), key]));
const PUNCTUATION = new Set([...')!@#$%^&*(:;+=<,_->.?/~`{][|\\}"\'']);
/** Keys that may be a global shortcut without a modifier: they type nothing. */
const STANDALONE = /^(F1[3-9]|F2[0-4]|Media\w+|Volume\w+)$/;

interface Parsed {
  modifiers: Set<Modifier>;
  key: string;
}

function parse(accelerator: string, platform: Platform): { ok: true; value: Parsed } | { ok: false; reason: string } {
  const text = accelerator.trim();
  if (!text) return { ok: false, reason: 'A hotkey cannot be empty.' };
  if (text.length > 100) return { ok: false, reason: 'That hotkey is too long.' };
  // "Plus" is how Electron spells the + key; a literal trailing "++" means the same.
  const parts = text.endsWith('++') ? [...text.slice(0, -2).split('+'), '+'] : text.split('+');
  if (parts.some((part) => part.trim() === '')) return { ok: false, reason: `"${text}" is not a hotkey: a part between the + signs is empty.` };
  const modifiers = new Set<Modifier>();
  let key: string | null = null;
  for (const raw of parts) {
    const part = raw.trim();
    const modifier = MODIFIERS.get(part.toLowerCase());
    if (modifier) {
      if (key !== null) return { ok: false, reason: `In "${text}", the modifiers must come before the key.` };
      const resolved: Modifier = modifier === 'cmdOrCtrl' ? (platform === 'darwin' ? 'cmd' : 'ctrl') : modifier;
      if (resolved === 'cmd' && platform !== 'darwin') {
        return { ok: false, reason: 'Command exists only on a Mac; use CommandOrControl or Control.' };
      }
      if (modifiers.has(resolved)) return { ok: false, reason: `"${text}" names the same modifier twice.` };
      modifiers.add(resolved);
      continue;
    }
    if (key !== null) return { ok: false, reason: `"${text}" has more than one key (${key} and ${part}); a hotkey has exactly one.` };
    const normal = normaliseKey(part);
    if (!normal) return { ok: false, reason: `"${part}" is not a key Electron knows.` };
    key = normal;
  }
  if (key === null) return { ok: false, reason: `"${text}" has only modifiers; add a key, e.g. ${text}+S.` };
  return { ok: true, value: { modifiers, key } };
}

function normaliseKey(part: string): string | null {
  if (/^[a-z0-9]$/i.test(part)) return part.toUpperCase();
  if (/^f([1-9]|1[0-9]|2[0-4])$/i.test(part)) return part.toUpperCase();
  if (part.length === 1 && PUNCTUATION.has(part)) return part === '+' ? 'Plus' : part;
  const named = NAMED.get(part.toLowerCase());
  if (!named) return null;
  return named === 'Enter' ? 'Return' : named === 'Esc' ? 'Escape' : named;
}

const ORDER: Modifier[] = ['cmd', 'ctrl', 'alt', 'altgr', 'shift', 'super'];
function canonical({ modifiers, key }: Parsed): string {
  return [...ORDER.filter((m) => modifiers.has(m)), key].join('+');
}

/** Per platform: what the OS itself takes, and what every application relies on. Canonical form (see `canonical`). */
const RESERVED: Record<string, readonly string[]> = {
  win32: [
    'ctrl+alt+Delete', 'alt+F4', 'alt+Tab', 'alt+shift+Tab', 'ctrl+Escape', 'ctrl+shift+Escape', 'alt+Escape', 'alt+Space',
    'super+L', 'super+D', 'super+E', 'super+R', 'super+Tab', 'alt+PrintScreen', 'PrintScreen',
  ],
  darwin: [
    'cmd+Q', 'cmd+W', 'cmd+H', 'cmd+M', 'cmd+Tab', 'cmd+shift+Tab', 'cmd+Space', 'ctrl+Space', 'cmd+alt+Escape',
    'cmd+ctrl+Q', 'cmd+ctrl+F', 'cmd+shift+3', 'cmd+shift+4', 'cmd+shift+5', 'cmd+alt+D', 'cmd+`',
  ],
  linux: [
    'ctrl+alt+Delete', 'ctrl+alt+Backspace', 'alt+F4', 'alt+Tab', 'alt+shift+Tab', 'alt+F2', 'ctrl+alt+T', 'super+L',
    'ctrl+alt+L', 'ctrl+alt+Left', 'ctrl+alt+Right', 'ctrl+alt+Up', 'ctrl+alt+Down', 'PrintScreen',
    ...Array.from({ length: 12 }, (_, i) => `ctrl+alt+F${i + 1}`),
  ],
};
/** Editing and window keys of every application (copy, paste, save, find…) with the platform's main modifier alone. */
const EVERY_APP_KEYS = ['A', 'C', 'V', 'X', 'Z', 'Y', 'S', 'P', 'F', 'N', 'O', 'T', 'W', 'Q', 'R', 'L'];

function reservedSet(platform: Platform): Set<string> {
  const main = platform === 'darwin' ? 'cmd' : 'ctrl';
  return new Set([...((Object.hasOwn(RESERVED, platform) ? RESERVED[platform] : undefined) ?? RESERVED.linux!), ...EVERY_APP_KEYS.map((key) => `${main}+${key}`), `${main}+shift+Z`]);
}

export function validateAccelerator(accelerator: string, platform: Platform): AcceleratorCheck {
  const parsed = parse(accelerator, platform);
  if (!parsed.ok) return parsed;
  const { modifiers, key } = parsed.value;
  const shown = accelerator.trim();
  if (modifiers.size === 0 && !STANDALONE.test(key)) {
    return { ok: false, reason: `${shown} has no modifier, so it would take that key from every application. Add Control or Alt.` };
  }
  const onlyShift = modifiers.size === 1 && modifiers.has('shift');
  if (onlyShift && !/^F\d+$/.test(key)) {
    return { ok: false, reason: `${shown} would stop you typing in other applications. Add Control or Alt.` };
  }
  if (reservedSet(platform).has(canonical(parsed.value))) {
    return { ok: false, reason: `${shown} is reserved by the system or used by every application; choose another hotkey.` };
  }
  return { ok: true };
}

/** Whether two accelerators mean the same keys on this platform (`CmdOrCtrl+Alt+S` = `Control+Alt+S` on Windows). */
export function sameAccelerator(a: string, b: string, platform: Platform): boolean {
  const left = parse(a, platform);
  const right = parse(b, platform);
  return left.ok && right.ok && canonical(left.value) === canonical(right.value);
}
