'use strict';
// Forked by descriptor-copies.ts with an IPC channel: each handle it receives goes straight back, and
// arrives in the parent as a new descriptor of the same listening socket. Plain CommonJS, so that it
// starts without a TypeScript loader. It leaves when the parent disconnects.
process.on('message', (message, handle) => {
  if (message === 'twin' && handle) process.send('twin', handle);
});
process.on('disconnect', () => process.exit(0));
