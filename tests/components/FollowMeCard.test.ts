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

  it('record → commit', async () => {
    const fake = followMe(new FakeCompanion(signedIn({ station: workstation })));
    render(FollowMeCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Record' }));
    expect(screen.getByText('Recording')).toBeTruthy();
    expect(screen.getByText(/Hang up when you have finished speaking/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    expect(screen.getByText('Playing back')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Commit' }));
    expect(fake.calls.map((c) => c.name).filter((n) => n.startsWith('followMe'))).toEqual([
      'followMe.record',
      'followMe.preview',
      'followMe.commit',
    ]);
    expect(screen.getByText('Saved')).toBeTruthy();
    expect(screen.getByText(/Your new follow-me prompt is saved/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Record again' })).toBeTruthy();
  });

  it('recording: Cancel keeps the old prompt', async () => {
    const fake = followMe(new FakeCompanion(signedIn({ station: workstation, followMe: { status: 'recording' } })));
    render(FollowMeCard, { props: { store: await fake.store() } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Cancel' }));
    expect(fake.callsOf('followMe.cancel')).toHaveLength(1);
    expect(screen.getByText('Recording cancelled. Your previous prompt stays.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Record' })).toBeTruthy();
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
