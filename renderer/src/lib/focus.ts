/** After Stop, focus goes back to the message's Play button (the control the agent started from). */
export function focusVoicemailButton(id: string): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-voicemail]')) {
    if (button.dataset.voicemail === id) {
      button.focus();
      return;
    }
  }
}
