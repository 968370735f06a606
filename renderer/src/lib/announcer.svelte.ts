/** What the `aria-live` region says. Each announcement is a new node, so repeating a sentence is announced again. */
export class Announcer {
  items = $state.raw<{ id: number; text: string }[]>([]);
  private nextId = 1;

  announce(text: string): void {
    if (!text) return;
    this.items = [{ id: this.nextId++, text }];
  }

  get latest(): string {
    return this.items.at(-1)?.text ?? '';
  }
}
