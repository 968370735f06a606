import './app.css';
import { mount } from 'svelte';
import type { CompanionApi } from '../../preload/contract';
import App from './App.svelte';
import NoCompanion from './components/NoCompanion.svelte';
import { CompanionStore } from './lib/store.svelte';
import { pickTransport } from './transport';

const target = document.getElementById('app')!;
const connection = pickTransport(window as Window & { companion?: CompanionApi });

if (connection) {
  const store = new CompanionStore(connection.api, connection.link);
  store.start();
  mount(App, { target, props: { store } });
} else {
  mount(NoCompanion, { target });
}
