import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import VoicemailCard from '../../renderer/src/components/VoicemailCard.svelte';
import { FakeCompanion, signedIn, voicemails, workstation } from './fakeCompanion';

function mailbox(count: number, playing: string | null = null, notShown = 0) {
  return { messages: voicemails(count), playing, waiting: Math.ceil(count / 2), notShown };
}

describe('Voicemail card', () => {
  it('lists the mailbox newest first with from, subject and unread, and the waiting count', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, voicemail: mailbox(3) }));
    render(VoicemailCard, { props: { store: await fake.store() } });
    expect(screen.getByTestId('waiting').textContent).toBe('2 waiting');
    const rows = within(screen.getByRole('list', { name: 'Voicemail messages' })).getAllByRole('listitem');
    expect(rows.map((row) => row.querySelector('.from')?.textContent)).toEqual(['Caller 1', 'Caller 2', 'Caller 3']);
    expect(rows[0]!.textContent).toContain('Unread');
    expect(rows[1]!.textContent).not.toContain('Unread');
    expect(rows[0]!.textContent).toContain('Message 1');
  });

  it('says how many older voicemails a mailbox over the limit does not show', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, voicemail: mailbox(3) }));
    render(VoicemailCard, { props: { store: await fake.store() } });
    expect(screen.queryByText(/not shown/)).toBeNull();
    fake.push({ voicemail: mailbox(3, null, 12_345) });
    expect((await screen.findByText(/not shown/)).textContent).toMatch(/12,345 older voicemails are not shown: the newest\s+3 are/);
    // The mailbox's size counts them too.
    expect(screen.getByText(/in mailbox/).textContent).toContain('12348 in mailbox');
  });

  it('plays on the station, and the playing one is obvious', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, voicemail: mailbox(3) })).handle('voicemail.play', ({ id }) => {
      fake.push({ voicemail: { ...fake.state.voicemail, playing: id } });
      return { ok: true, value: null };
    });
    render(VoicemailCard, { props: { store: await fake.store() } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Play voicemail from Caller 2' }));
    expect(fake.callsOf('voicemail.play')).toEqual([{ id: 'vm-2' }]);
    const row = screen.getByRole('button', { name: 'Stop voicemail from Caller 2' }).closest('li')!;
    expect(row.getAttribute('aria-current')).toBe('true');
    expect(row.textContent).toContain('Playing');
  });

  it('Play turns into Stop and back on the same button, so focus stays where the agent pressed', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, voicemail: mailbox(3) }))
      .handle('voicemail.play', ({ id }) => {
        fake.push({ voicemail: { ...fake.state.voicemail, playing: id } });
        return { ok: true, value: null };
      })
      .handle('voicemail.stop', () => {
        fake.push({ voicemail: { ...fake.state.voicemail, playing: null } });
        return { ok: true, value: null };
      });
    render(VoicemailCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Play voicemail from Caller 1' }));
    const stop = screen.getByRole('button', { name: 'Stop voicemail from Caller 1' });
    expect(document.activeElement).toBe(stop);
    await user.click(stop);
    expect(fake.callsOf('voicemail.stop')).toEqual([{ id: 'vm-1' }]);
    // Said aloud, not left on screen to describe a playback long over.
    expect(screen.queryByText('Playback stopped.')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Play voicemail from Caller 1' }));
  });

  it('the whole caller and subject are in the row: its title, and the description of its button', async () => {
    const long = 'Voice Mail from a caller whose subject line is far longer than any row of a 380 pixel window could show';
    const fake = new FakeCompanion(signedIn({ station: workstation, voicemail: { messages: [{ ...voicemails(1)[0]!, subject: long }], playing: null, waiting: 1 } }));
    render(VoicemailCard, { props: { store: await fake.store() } });
    const play = screen.getByRole('button', { name: 'Play voicemail from Caller 1' });
    expect(document.getElementById(play.getAttribute('aria-describedby')!)?.textContent).toBe(long);
    expect(play.closest('li')!.querySelector('[title]')?.getAttribute('title')).toBe(`Caller 1 — ${long}`);
  });

  it('without a station, plays on a number the agent types', async () => {
    const fake = new FakeCompanion(signedIn({ voicemail: mailbox(2) }));
    render(VoicemailCard, { props: { store: await fake.store() } });
    const play = screen.getByRole('button', { name: 'Play voicemail from Caller 1' }) as HTMLButtonElement;
    expect(play.getAttribute('aria-disabled')).toBe('true');
    await userEvent.setup().click(play);
    expect(fake.callsOf('voicemail.play')).toEqual([]);
    expect(screen.getByText(/Log in to a station to play voicemail/)).toBeTruthy();
    const user = userEvent.setup();
    await user.click(screen.getByRole('radio', { name: 'Another number' }));
    await user.type(screen.getByLabelText('Number to play on'), '+1 317 555 1234');
    await user.click(play);
    expect(fake.callsOf('voicemail.play')).toEqual([{ id: 'vm-1', target: '+1 317 555 1234' }]);
  });

  it('marks read and unread', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, voicemail: mailbox(2) }));
    render(VoicemailCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Mark read: voicemail from Caller 1' }));
    await user.click(screen.getByRole('button', { name: 'Mark unread: voicemail from Caller 2' }));
    expect(fake.callsOf('voicemail.markRead')).toEqual([
      { id: 'vm-1', read: true },
      { id: 'vm-2', read: false },
    ]);
  });

  it('shows the error inline', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, voicemail: mailbox(1) })).fail(
      'voicemail.play',
      'refused',
      'CIC cannot play this kind of message on the phone.',
    );
    render(VoicemailCard, { props: { store: await fake.store() } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Play voicemail from Caller 1' }));
    expect(screen.getByText(/CIC cannot play this kind of message/)).toBeTruthy();
  });

  it('empty mailbox; the waiting count only once CIC has said it', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation }));
    render(VoicemailCard, { props: { store: await fake.store() } });
    expect(screen.getByText('Your mailbox is empty.')).toBeTruthy();
    expect(screen.queryByTestId('waiting')).toBeNull();
    fake.push({ voicemail: { ...fake.state.voicemail, waiting: 0 } });
    expect((await screen.findByTestId('waiting')).textContent).toBe('0 waiting');
  });

  it('10,000 voicemails: renders only the rows in view, and the ones scrolled to', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, voicemail: mailbox(10_000) }));
    render(VoicemailCard, { props: { store: await fake.store() } });
    const list = screen.getByRole('list', { name: 'Voicemail messages' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]!.getAttribute('aria-setsize')).toBe('10000');
    expect(screen.queryByText('Caller 5000')).toBeNull();

    const viewport = list.closest('.viewport') as HTMLElement;
    viewport.scrollTop = 4999 * 76;
    await fireEvent.scroll(viewport);
    const after = within(list).getAllByRole('listitem');
    expect(after.length).toBeLessThan(40);
    expect(screen.getByText('Caller 5000')).toBeTruthy();
    expect(screen.queryByText('Caller 1')).toBeNull();
    const row = screen.getByText('Caller 5000').closest('li')!;
    expect(row.getAttribute('aria-posinset')).toBe('5000');
  });
});
