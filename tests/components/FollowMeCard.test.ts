import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import FollowMeCard from '../../renderer/src/components/FollowMeCard.svelte';
import { FakeCompanion, signedIn, workstation } from './fakeCompanion';
import type { FollowMeStatus } from '../../preload/contract';

function followMe(fake: FakeCompanion) {
  for (const [verb, status] of [
    ['record', 'recording'],
    ['preview', 'previewing'],
    ['commit', 'committed'],
    ['cancel', 'idle'],
  ] as const) {
    fake.handle(`followMe.${verb}`, () => {
      fake.push({ followMe: { status: status as FollowMeStatus } });
      return { ok: true, value: { status } };
    });
  }
  return fake;
}

describe('Follow-me prompt card', () => {
  it('no station: Record is disabled and the card says why', async () => {
    const fake = new FakeCompanion(signedIn());
    render(FollowMeCard, { props: { store: await fake.store() } });
    const record = screen.getByRole('button', { name: 'Record' }) as HTMLButtonElement;
    expect(record.disabled).toBe(true);
    expect(screen.getByText(/Log in to a station first/)).toBeTruthy();
  });

  it('idle: explains that nothing is kept until Commit', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation }));
    render(FollowMeCard, { props: { store: await fake.store() } });
    expect(screen.getByText(/Nothing is kept until you press Commit/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Commit' })).toBeNull();
  });

  it('Record shows its hotkey while the desktop app holds it, and the card hands the recording to the top of the window', async () => {
    const fake = followMe(
      new FakeCompanion(
        signedIn({
          station: workstation,
          hotkeys: { ...signedIn().hotkeys, recordFollowMe: { accelerator: 'CommandOrControl+Alt+R', registered: true } },
        }),
      ),
    );
    render(FollowMeCard, { props: { store: await fake.store() } });
    const record = screen.getByRole('button', { name: 'Record' });
    expect(record.getAttribute('aria-keyshortcuts')).toBe('Control+Alt+R');
    expect(record.querySelector('kbd')?.textContent).toBe('Ctrl+Alt+R');
    await userEvent.setup().click(record);
    expect(fake.callsOf('followMe.record')).toHaveLength(1);
    expect(screen.getByText('Recording')).toBeTruthy();
    expect(screen.getByText(/Commit, Preview and Cancel are at the top of the window/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Record again' })).toBeTruthy();
  });

  it('an unregistered hotkey is not shown on the button', async () => {
    const fake = new FakeCompanion(
      signedIn({ station: workstation, hotkeys: { ...signedIn().hotkeys, recordFollowMe: { accelerator: 'CommandOrControl+Alt+R', registered: false } } }),
    );
    render(FollowMeCard, { props: { store: await fake.store() } });
    const record = screen.getByRole('button', { name: 'Record' });
    expect(record.hasAttribute('aria-keyshortcuts')).toBe(false);
    expect(record.querySelector('kbd')).toBeNull();
  });

  it('shows the error when CIC refuses', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation })).fail(
      'followMe.record',
      'noStation',
      'CIC says no station is logged in. Log in to a station and try again.',
    );
    render(FollowMeCard, { props: { store: await fake.store() } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Record' }));
    expect(screen.getByText(/CIC says no station is logged in/)).toBeTruthy();
  });
});
