import { yieldToEventLoop } from './event_loop';

test('yieldToEventLoop lets a queued macrotask run first', async () => {
  let ran = false;
  setImmediate(() => {
    ran = true;
  });
  await yieldToEventLoop();
  expect(ran).toBe(true);
});
