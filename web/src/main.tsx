// Tracing first, so the request for the SDK chunk (provider, zone.js, exporter,
// instrumentations) starts at once; nothing waits for it here: React renders
// untraced, and runUserAction awaits `tracingReady` (see tracing.ts).
import './tracing';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App';
import './App.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
