import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import App from './App';
import { useStore } from './store';

// The dev server lends tests and the console the store (never in a production build).
if (import.meta.env.DEV) {
  (window as unknown as { __bartizanStore: typeof useStore }).__bartizanStore = useStore;
}

const root = document.getElementById('root');
if (!root) throw new Error('missing #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
